using System.Text.Json;
using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>Body of PUT /api/devices/{id}/settings: <c>{"base_version":7,"settings":{…}}</c>.</summary>
public sealed record SettingsRequest(
    [property: JsonPropertyName("base_version")] int? BaseVersion,
    [property: JsonPropertyName("settings")] JsonElement? Settings);
