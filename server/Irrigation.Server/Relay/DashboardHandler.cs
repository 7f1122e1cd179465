using System.Net.WebSockets;
using Irrigation.Server.Auth;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The dashboard side on <c>ws://HOST/clients/{userId}</c>: authenticated before the upgrade (401 without a valid
/// token, 403 for another user's), a snapshot first, then every event of the user's devices.
/// </summary>
public sealed class DashboardHandler(
    UserAuthenticator authenticator,
    IAccountStore accounts,
    DeviceHubs hubs,
    DashboardRegistry dashboards,
    SendWatchdog watchdog,
    RelayMetrics metrics,
    IOptions<RelayOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DashboardHandler> log)
{
    /// <summary>Authenticates, upgrades and runs one dashboard connection.</summary>
    public async Task<IResult?> HandleAsync(HttpContext context, string userId)
    {
        var authentication = await authenticator.AuthenticateAsync(context, allowQueryToken: true, claimedUser: userId);
        if (authentication.Throttled)
        {
            metrics.AuthFailed();
            return Api.CurrentUser.TooManyAttempts(context);
        }

        if (authentication.UserId is not { } user)
        {
            metrics.AuthFailed();
            return TypedResults.Json(new { error = authentication.Credential == UserCredential.None ? "token required" : "unknown token" },
                statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!string.Equals(user, userId, StringComparison.Ordinal))
        {
            metrics.AuthFailed();
            return TypedResults.Json(new { error = "this token belongs to another user" }, statusCode: StatusCodes.Status403Forbidden);
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Json(new { error = "WebSocket upgrade expected" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var o = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = o.DashboardKeepAliveInterval,
            KeepAliveTimeout = o.DashboardKeepAliveInterval,
        });
        var watched = await hubs.GetAllAsync(await accounts.ListAccessibleDevicesAsync(user));
        var session = new DashboardSession(socket, user, new DashboardQueue(o.DashboardQueueLength, o.StuckTimeout, clock), watchdog, metrics, log)
        {
            TokenHash = authentication.TokenHash!,
            Watched = [.. watched.Select(w => (w.Hub.DeviceId, w.Role))],
        };
        dashboards.Add(session);
        // Each device's entry is read and the dashboard registered in one step under that device's gate; the frames
        // of devices already joined queue up meanwhile, and the snapshot goes in front of them.
        session.EnqueueSnapshot(DeviceListJson.Snapshot(watched, session, clock.GetUtcNow().ToUnixTimeSeconds()));
        metrics.DashboardConnected(1);
        log.LogInformation("Dashboard of {User} connected ({Devices} devices)", user, watched.Length);
        var writer = session.RunWriterAsync();
        using var stopping = lifetime.ApplicationStopping.Register(
            () => session.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        try
        {
            await session.RunReceiveAsync(o.MaxFrameBytes);
        }
        finally
        {
            dashboards.Remove(session);
            foreach (var (hub, _) in watched)
            {
                hub.Leave(session);
            }

            session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
            await writer;
            if (session.SendTimedOut)
            {
                // A send that did not complete within the stuck timeout: the peer stopped reading.
                metrics.DashboardDisconnected("stuck");
                log.LogWarning("Dashboard of {User} disconnected: a send blocked longer than {Timeout}", user, o.StuckTimeout);
            }

            metrics.DashboardConnected(-1);
            log.LogInformation("Dashboard of {User} disconnected ({State})", user, socket.State);
        }

        return null;
    }
}
