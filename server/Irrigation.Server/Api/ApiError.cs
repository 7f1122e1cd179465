namespace Irrigation.Server.Api;

/// <summary>The JSON body of every API error: {"error": "what is wrong"}.</summary>
public sealed record ApiError(string Error);
