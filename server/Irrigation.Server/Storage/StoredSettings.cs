namespace Irrigation.Server.Storage;

/// <summary>One saved version of a device's settings.</summary>
/// <param name="Version">1, 2, 3…</param>
/// <param name="Json">The settings object, as saved (compact JSON).</param>
/// <param name="Changed">What changed from the version before ("schedules, rain_delay_until", "first settings").</param>
/// <param name="UpdatedBy">Who saved it.</param>
/// <param name="UpdatedAt">When, Unix seconds.</param>
/// <param name="TimeZone">The settings' time_zone (IANA name), or null.</param>
public sealed record StoredSettings(int Version, string Json, string Changed, string UpdatedBy, long UpdatedAt, string? TimeZone);
