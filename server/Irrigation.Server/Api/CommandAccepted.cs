namespace Irrigation.Server.Api;

/// <summary>202 body of a command: {"id":"c-17"}.</summary>
public sealed record CommandAccepted(string Id);
