namespace Irrigation.Server.Simulation;

/// <summary>The credentials of one simulated controller.</summary>
public sealed record SimulatedDevice(string DeviceId, string Token, string[] Zones);
