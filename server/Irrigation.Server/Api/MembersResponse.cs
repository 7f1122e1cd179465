using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>GET /api/devices/{id}/members: the owner and every member.</summary>
public sealed record MembersResponse(
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("members")] IReadOnlyList<MemberItem> Members);
