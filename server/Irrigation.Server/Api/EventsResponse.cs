namespace Irrigation.Server.Api;

/// <summary>GET /api/devices/{id}/events: events newest first ("order":"newest_first").</summary>
public sealed record EventsResponse(string Device, string Order, IReadOnlyList<EventItem> Events);
