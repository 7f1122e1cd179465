using Irrigation.Server.Api;
using Microsoft.Net.Http.Headers;

namespace Irrigation.Server.Security;

/// <summary>
/// Refuses (403) a POST, PUT, PATCH or DELETE that a page of another site made the browser send: such a request
/// would ride on the dashboard's session cookie. A request with an <c>Authorization</c> header passes: a page cannot
/// make a browser add one to a cross-origin request without a CORS preflight, which this server never grants, so
/// whoever sent it holds the token themselves. Reads (GET) change nothing and pass; the dashboard WebSocket checks
/// its Origin itself (<see cref="Auth.UserAuthenticator"/>).
/// </summary>
public static class CrossSiteRequestGuard
{
    /// <summary>Adds the check in front of every endpoint.</summary>
    public static WebApplication UseCrossSiteRequestGuard(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CrossSiteRequestGuard));
        // Not an async lambda: a request that passes returns next's task itself, so a WebSocket that lasts for days
        // does not keep this middleware's state machine alive beside it.
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (ChangesState(request.Method) && !request.Headers.ContainsKey(HeaderNames.Authorization) && RequestOrigin.IsForeign(request))
            {
                log.LogInformation("Refused a cross-site {Method} {Path} from origin {Origin} (client {Remote})",
                    request.Method, request.Path, request.Headers.Origin.ToString(), context.Connection.RemoteIpAddress);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsJsonAsync(new ApiError(
                    "cross-site request refused: send it from the dashboard's own address, or with Authorization: Bearer <user token>"));
            }

            return next(context);
        });
        return app;
    }

    private static bool ChangesState(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
