namespace Irrigation.Server.Relay;

/// <summary>Open/closed state of one zone and, while open, when its lease ends (server clock, Unix seconds; 0 = unknown).</summary>
public readonly record struct ZoneState(bool Open, long LeaseEnd);
