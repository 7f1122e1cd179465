namespace Irrigation.Server.Relay;

/// <summary>A parsed hello: who the controller says it is, and its boot id.</summary>
public sealed record HelloFrame(string Device, string Token, long Boot, int Protocol, string? Firmware, string[] Zones, string[] Sensors);
