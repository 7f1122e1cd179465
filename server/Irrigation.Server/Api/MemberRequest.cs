namespace Irrigation.Server.Api;

/// <summary>Body of PUT /api/devices/{id}/members/{userId}: <c>{"role":"operator"}</c> or <c>{"role":"viewer"}</c>.</summary>
public sealed record MemberRequest(string? Role);
