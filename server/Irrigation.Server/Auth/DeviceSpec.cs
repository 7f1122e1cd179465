namespace Irrigation.Server.Auth;

/// <summary>
/// A device to provision: id, owner, zone names, optional maximum irrigate duration in seconds, and optionally the
/// line of the import file it came from (used in error messages).
/// </summary>
public sealed record DeviceSpec(string DeviceId, string Owner, IReadOnlyList<string> Zones, int? MaxDurationSeconds = null, int? Line = null);
