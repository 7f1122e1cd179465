namespace Irrigation.Server.Api;

/// <summary>Who the session belongs to: {"user":"alice"} (the dashboard needs it for /clients/{user}).</summary>
public sealed record SessionInfo(string User);
