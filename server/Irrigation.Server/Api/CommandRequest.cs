namespace Irrigation.Server.Api;

/// <summary>Body of POST /api/devices/{id}/irrigate ({"zones":[...],"duration":600}) and /stop ({"zones":[...]}).</summary>
public sealed record CommandRequest(string[]? Zones, int? Duration);
