using System.Text.Json;

namespace Irrigation.Server.Api;

/// <summary>One event of GET /api/devices/{id}/events, shaped like the live frame plus the receive time.</summary>
public sealed record EventItem(string Event, string Device, string Category, long? Seq, long Boot, long Time, long Received, JsonElement Data);
