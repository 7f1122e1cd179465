using Irrigation.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

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

    private static async Task<Results<Ok<SessionInfo>, JsonHttpResult<ApiError>>> SignInAsync(
        SessionRequest? request, HttpContext context, UserAuthenticator authenticator)
    {
        if (request?.Token is not { Length: > 0 } token)
        {
            return TypedResults.Json(new ApiError("body must be {\"token\": \"<user token>\"}"), statusCode: StatusCodes.Status400BadRequest);
        }

        var user = await authenticator.FindUserAsync(token, context.RequestAborted);
        if (user is null)
        {
            return TypedResults.Json(new ApiError("unknown token"), statusCode: StatusCodes.Status401Unauthorized);
        }

        context.Response.Cookies.Append(SessionCookie.Name, token, SessionCookie.Options(context.Request));
        return TypedResults.Ok(new SessionInfo(user));
    }

    private static async Task<Results<Ok<SessionInfo>, JsonHttpResult<ApiError>>> WhoAmIAsync(HttpContext context, UserAuthenticator authenticator)
    {
        var (_, user) = await authenticator.AuthenticateAsync(context, allowQueryToken: false);
        return user is null
            ? TypedResults.Json(new ApiError("not signed in"), statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Ok(new SessionInfo(user));
    }
}
