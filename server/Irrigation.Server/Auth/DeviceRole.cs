namespace Irrigation.Server.Auth;

/// <summary>
/// What a user may do with a device: a viewer reads, an operator also commands (start, stop, rain delay), the owner
/// also manages members, settings and the device itself. Ordered: a higher role may do everything a lower one may.
/// </summary>
public enum DeviceRole
{
    /// <summary>Sees the device, its history and its live data.</summary>
    Viewer = 1,

    /// <summary>A viewer who may also start and stop zones and set a rain delay.</summary>
    Operator = 2,

    /// <summary>The one user who owns the device.</summary>
    Owner = 3,
}
