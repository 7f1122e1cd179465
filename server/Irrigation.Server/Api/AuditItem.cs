using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>One entry of GET /api/devices/{id}/audit: <c>{time, user, action, detail, outcome}</c>.</summary>
public sealed record AuditItem(
    [property: JsonPropertyName("time")] long Time,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("outcome")] string Outcome);
