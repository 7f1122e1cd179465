using Irrigation.Server.Storage;

namespace Irrigation.Server.Api;

/// <summary>GET /api/devices/{id}/readings: the buckets plus the query they answer (width in seconds).</summary>
public sealed record ReadingsResponse(string Device, string Kind, long From, long To, long Width, IReadOnlyList<ReadingBucket> Buckets);
