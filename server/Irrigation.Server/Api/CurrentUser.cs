using Irrigation.Server.Auth;

namespace Irrigation.Server.Api;

/// <summary>Endpoint filter: the request must carry a user token (Bearer or session cookie); 401 otherwise.</summary>
public static class CurrentUser
{
    private const string Key = "irrigation.user";

    /// <summary>Adds the filter to a group.</summary>
    public static RouteGroupBuilder RequireUser(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var authenticator = http.RequestServices.GetRequiredService<UserAuthenticator>();
            var authentication = await authenticator.AuthenticateAsync(http, allowQueryToken: false);
            if (authentication.Throttled)
            {
                return TooManyAttempts(http);
            }

            if (authentication.UserId is null)
            {
                return TypedResults.Json(
                    new ApiError(authentication.Credential == UserCredential.None ? "Authorization: Bearer <user token> required" : "unknown token"),
                    statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Items[Key] = authentication.UserId;
            return await next(context);
        });
        return group;
    }

    /// <summary>429 with Retry-After, for a source that failed too often.</summary>
    public static IResult TooManyAttempts(HttpContext http)
    {
        var window = http.RequestServices.GetRequiredService<AuthThrottle>().Window;
        http.Response.Headers.RetryAfter = ((int)window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Json(
            new ApiError($"too many failed sign-in attempts: try again in {Math.Ceiling(window.TotalMinutes):0} minutes"),
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The user the filter authenticated.</summary>
    public static string Get(HttpContext context) => (string)context.Items[Key]!;
}
