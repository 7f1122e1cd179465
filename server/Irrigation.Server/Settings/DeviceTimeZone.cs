namespace Irrigation.Server.Settings;

/// <summary>
/// A device's time zone: the IANA name in its settings (<c>time_zone</c>), known only to the server. The device has no
/// time-zone database: it is sent the offset that holds now, and again when it changes (DST).
/// </summary>
public static class DeviceTimeZone
{
    /// <summary>The settings key (kept on the server: the controller never sees it).</summary>
    public const string Key = "time_zone";

    /// <summary>The zone of an IANA name, or null when the name is unknown (an error message then says why).</summary>
    public static TimeZoneInfo? Find(string name, out string? error)
    {
        error = null;
        if (name.Length is 0 or > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) || zone.HasIanaId is false)
        {
            error = $"{Key}: unknown time zone '{(name.Length > 64 ? name[..64] + "…" : name)}' (an IANA name such as Europe/Paris or America/Chicago)";
            return null;
        }

        return zone;
    }

    /// <summary>Seconds east of UTC in <paramref name="name"/>'s zone at <paramref name="now"/>; 0 for no zone (UTC).</summary>
    public static int OffsetSeconds(string? name, DateTimeOffset now) =>
        name is not null && Find(name, out _) is { } zone ? (int)zone.GetUtcOffset(now).TotalSeconds : 0;
}
