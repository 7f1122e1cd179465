namespace Irrigation.Server.Auth;

/// <summary>The dashboard's session cookie (set by POST /api/session).</summary>
public static class SessionCookie
{
    /// <summary>Cookie name.</summary>
    public const string Name = "irrigation_session";

    /// <summary>Cookie options: HttpOnly so page scripts cannot read it, SameSite=Strict against cross-site requests.</summary>
    public static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        MaxAge = TimeSpan.FromDays(30),
    };
}
