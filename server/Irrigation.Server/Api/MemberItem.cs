using System.Text.Json.Serialization;

namespace Irrigation.Server.Api;

/// <summary>One member of a device: <c>{"user":"bob","role":"viewer","added":1764547200}</c>.</summary>
public sealed record MemberItem(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("added"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Added);
