using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>Body of POST /api/devices/{id}/rain-delay: <c>{"until":1764720000}</c> (0 clears).</summary>
public sealed record RainDelayRequest([property: JsonPropertyName("until")] long? Until);
