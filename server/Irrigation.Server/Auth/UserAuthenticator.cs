using Irrigation.Server.Storage;

namespace Irrigation.Server.Auth;

/// <summary>
/// Finds the user of a request from a bearer token, the session cookie or (WebSockets only) ?access_token=, with
/// failed attempts slowed down and then refused per source address (and per user id when the URL names one).
/// </summary>
public sealed class UserAuthenticator(IAccountStore accounts, AuthThrottle throttle)
{
    /// <summary>The user id for a token, or null for an unknown token (not throttled: callers hold no address).</summary>
    public Task<string?> FindUserAsync(string token, CancellationToken ct = default) =>
        accounts.FindUserByTokenHashAsync(Tokens.Hash(token), ct);

    /// <summary>
    /// The request's user. A cookie sent with a cross-site Origin is ignored (cross-site WebSocket hijacking).
    /// <paramref name="claimedUser"/> is the user the request is for (the dashboard socket's URL), when known.
    /// </summary>
    public async Task<UserAuthentication> AuthenticateAsync(HttpContext context, bool allowQueryToken, string? claimedUser = null)
    {
        var (credential, token) = ReadToken(context, allowQueryToken);
        if (token is null)
        {
            return new UserAuthentication(UserCredential.None, null, null);
        }

        if (credential == UserCredential.Cookie && Security.RequestOrigin.IsForeign(context.Request))
        {
            return new UserAuthentication(credential, null, null);
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        var decision = throttle.Check(address, claimedUser);
        if (decision.Refused)
        {
            return new UserAuthentication(credential, null, null, Throttled: true);
        }

        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, context.RequestAborted);
        }

        var hash = Tokens.Hash(token);
        var user = await accounts.FindUserByTokenHashAsync(hash, context.RequestAborted);
        if (user is null)
        {
            throttle.Failed(address, claimedUser);
            return new UserAuthentication(credential, null, null);
        }

        throttle.Succeeded(user);
        return new UserAuthentication(credential, user, hash);
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
