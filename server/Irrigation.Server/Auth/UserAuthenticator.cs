using Irrigation.Server.Storage;

namespace Irrigation.Server.Auth;

/// <summary>Finds the user of a request from a bearer token, the session cookie or (WebSockets only) ?access_token=.</summary>
public sealed class UserAuthenticator(IAccountStore accounts)
{
    /// <summary>The user id for a token, or null for an unknown token.</summary>
    public Task<string?> FindUserAsync(string token, CancellationToken ct = default) =>
        accounts.FindUserByTokenHashAsync(Tokens.Hash(token), ct);

    /// <summary>
    /// The request's user: (credential kind, user id). User id is null when the token is missing or unknown.
    /// A cookie sent with a cross-site Origin is ignored (cross-site WebSocket hijacking).
    /// </summary>
    public async Task<(UserCredential Credential, string? UserId)> AuthenticateAsync(HttpContext context, bool allowQueryToken)
    {
        var (credential, token) = ReadToken(context, allowQueryToken);
        if (token is null)
        {
            return (UserCredential.None, null);
        }

        if (credential == UserCredential.Cookie && Security.RequestOrigin.IsForeign(context.Request))
        {
            return (credential, null);
        }

        return (credential, await FindUserAsync(token, context.RequestAborted));
    }

    private static (UserCredential, string?) ReadToken(HttpContext context, bool allowQueryToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7)
        {
            return (UserCredential.Bearer, header[7..].Trim());
        }

        if (allowQueryToken && context.Request.Query["access_token"].ToString() is { Length: > 0 } query)
        {
            return (UserCredential.Query, query);
        }

        if (context.Request.Cookies[SessionCookie.Name] is { Length: > 0 } cookie)
        {
            return (UserCredential.Cookie, cookie);
        }

        return (UserCredential.None, null);
    }
}
