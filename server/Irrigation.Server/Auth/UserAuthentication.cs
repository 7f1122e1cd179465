namespace Irrigation.Server.Auth;

/// <summary>
/// The outcome of authenticating a request: which credential it carried, the user (null when missing, unknown or
/// refused), the hash of the token used (live connections are checked against it when credentials change), and
/// whether it was refused for too many failed attempts.
/// </summary>
public sealed record UserAuthentication(UserCredential Credential, string? UserId, byte[]? TokenHash, bool Throttled = false);
