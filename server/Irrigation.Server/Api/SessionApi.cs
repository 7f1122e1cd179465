using Irrigation.Server.Auth;

namespace Irrigation.Server.Api;

/// <summary>
/// The dashboard's session: POST /api/session {"token"} sets an HttpOnly, SameSite=Strict cookie (so the page can
/// drop ?token= from the address bar), GET tells who is signed in, DELETE signs out.
/// </summary>
public static class SessionApi
{
    /// <summary>Maps /api/session.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/session");
        group.MapPost("", SignInAsync);
        group.MapGet("", WhoAmIAsync);
        group.MapDelete("", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(SessionCookie.Name, SessionCookie.Options(context.Request));
            return TypedResults.NoContent();
        });
        return app;
    }

    private static async Task<IResult> SignInAsync(SessionRequest? request, HttpContext context, UserAuthenticator authenticator)
    {
        if (request?.Token is not { Length: > 0 } token)
        {
            return TypedResults.Json(new ApiError("body must be {\"token\": \"<user token>\"}"), statusCode: StatusCodes.Status400BadRequest);
        }

        // The token in the body is checked like a bearer token: the same throttle per address.
        context.Request.Headers.Authorization = "Bearer " + token;
        var authentication = await authenticator.AuthenticateAsync(context, allowQueryToken: false);
        if (authentication.Throttled)
        {
            return CurrentUser.TooManyAttempts(context);
        }

        if (authentication.UserId is not { } user)
        {
            return TypedResults.Json(new ApiError("unknown token"), statusCode: StatusCodes.Status401Unauthorized);
        }

        context.Response.Cookies.Append(SessionCookie.Name, token, SessionCookie.Options(context.Request));
        return TypedResults.Ok(new SessionInfo(user));
    }

    private static async Task<IResult> WhoAmIAsync(HttpContext context, UserAuthenticator authenticator)
    {
        var authentication = await authenticator.AuthenticateAsync(context, allowQueryToken: false);
        if (authentication.Throttled)
        {
            return CurrentUser.TooManyAttempts(context);
        }

        return authentication.UserId is not { } user
            ? TypedResults.Json(new ApiError("not signed in"), statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Ok(new SessionInfo(user));
    }
}
