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
            var (credential, user) = await authenticator.AuthenticateAsync(http, allowQueryToken: false);
            if (user is null)
            {
                return TypedResults.Json(
                    new ApiError(credential == UserCredential.None ? "Authorization: Bearer <user token> required" : "unknown token"),
                    statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Items[Key] = user;
            return await next(context);
        });
        return group;
    }

    /// <summary>The user the filter authenticated.</summary>
    public static string Get(HttpContext context) => (string)context.Items[Key]!;
}
