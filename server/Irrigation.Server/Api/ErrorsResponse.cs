using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>A 400 that lists every wrong field: <c>{"errors":["zones[0].dry: …"]}</c>.</summary>
public sealed record ErrorsResponse([property: JsonPropertyName("errors")] IReadOnlyList<string> Errors);
