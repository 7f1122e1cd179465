using System.Text.Json;
using System.Text.Json.Serialization;

namespace Irrigation.Server.Settings;

/// <summary>
/// GET /api/devices/{id}/settings: <c>{"version":7,"applied_version":6,"state":"pending","errors":[],"settings":{…},
/// "updated_by":"alice","updated_at":1764547200}</c>; <c>state</c> is applied, pending or rejected.
/// </summary>
public sealed record SettingsView(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("applied_version")] int AppliedVersion,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors,
    [property: JsonPropertyName("settings")] JsonElement Settings,
    [property: JsonPropertyName("updated_by")] string? UpdatedBy,
    [property: JsonPropertyName("updated_at")] long? UpdatedAt,
    [property: JsonPropertyName("utc_offset")] int UtcOffset);
