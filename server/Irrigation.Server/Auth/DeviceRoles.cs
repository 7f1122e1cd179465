namespace Irrigation.Server.Auth;

/// <summary>The wire names of <see cref="DeviceRole"/> ("owner", "operator", "viewer").</summary>
public static class DeviceRoles
{
    /// <summary>The name as the API, the snapshot and the CLI write it.</summary>
    public static string ToWire(this DeviceRole role) => role switch
    {
        DeviceRole.Owner => "owner",
        DeviceRole.Operator => "operator",
        _ => "viewer",
    };

    /// <summary>A member role from its name ("operator" or "viewer"); the owner is not a member role.</summary>
    public static bool TryParseMember(string? text, out DeviceRole role)
    {
        (var ok, role) = text switch
        {
            "operator" => (true, DeviceRole.Operator),
            "viewer" => (true, DeviceRole.Viewer),
            _ => (false, DeviceRole.Viewer),
        };
        return ok;
    }
}
