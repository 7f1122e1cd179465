namespace Irrigation.Server.Relay;

/// <summary>A parsed hello: who the controller says it is, and its boot id.</summary>
public sealed record HelloFrame(string Device, string Token, long Boot, int Protocol, string? Firmware, string[] Zones, string[] Sensors)
{
    /// <summary>The settings version the controller runs (0: only the board's file, or not said).</summary>
    public int SettingsVersion { get; init; }
}
