namespace Irrigation.Server.Api;

/// <summary>Body of POST /api/session: {"token":"..."}.</summary>
public sealed record SessionRequest(string? Token);
