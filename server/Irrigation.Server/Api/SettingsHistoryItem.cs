using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>One version in GET /api/devices/{id}/settings/history: who saved it, when, and what it changed.</summary>
public sealed record SettingsHistoryItem(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("time")] long Time,
    [property: JsonPropertyName("changed")] string Changed);
