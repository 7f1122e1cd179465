using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The controller side of the contract on <c>ws://HOST/</c>: hello within the timeout, welcome with resume, then
/// each valid event goes to the dashboards at once and to the ingest queue (its ack follows the commit); an error
/// frame per rejected frame; persistent offenders are closed.
/// </summary>
public sealed class ControllerHandler(
    DeviceAuthenticator authenticator,
    IAccountStore accounts,
    IEventStore events,
    DeviceHubs hubs,
    ControllerRegistry controllers,
    IRelayBackplane backplane,
    IngestPipeline pipeline,
    Settings.SettingsService settings,
    SendWatchdog watchdog,
    RelayMetrics metrics,
    IOptions<RelayOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ControllerHandler> log)
{
    /// <summary>Runs one controller connection to its end.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var o = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            // Ping every interval and drop a peer that has not answered within another interval: a half-open
            // controller is offline after at most 2 x KeepAliveInterval.
            KeepAliveInterval = o.KeepAliveInterval,
            KeepAliveTimeout = o.KeepAliveInterval,
        });
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        var hello = await ReadHelloAsync(socket, remote);
        if (hello is null)
        {
            return;
        }

        var (record, frame) = hello.Value;
        var hub = await hubs.GetAsync(record);
        if (hub.State.Zones.Length == 0 && frame.Zones.Length > 0)
        {
            // Provisioned without zones: the controller's own list becomes the device's zones.
            await accounts.SetDeviceZonesAsync(record.DeviceId, frame.Zones);
            lock (hub.Gate)
            {
                hub.State.Zones = frame.Zones;
            }
        }

        var resume = await events.GetResumeSeqAsync(record.DeviceId, frame.Boot);
        var (utcOffset, newerSettings) = await settings.ForHelloAsync(record.DeviceId, frame.SettingsVersion);
        var session = new ControllerSession(socket, hub, hub.Boot(frame.Boot, resume), o.ControllerQueueLength, watchdog)
        {
            TokenHash = record.TokenHash,
            UtcOffset = utcOffset,
        };
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        hub.State.Seen(now);
        session.TrySend(ServerFrames.Welcome(now, resume, utcOffset));
        if (newerSettings is not null)
        {
            // A board that was offline during changes gets the newest version only.
            session.TrySend(newerSettings);
        }
        controllers.Register(session)?.RequestClose(WebSocketCloseStatus.NormalClosure, "replaced by a new connection");
        await backplane.ClaimAsync(session);
        metrics.ControllerConnected(1);
        log.LogInformation("Controller {Device} online from {Remote} (boot {Boot}, firmware {Firmware}, resume {Resume})",
            record.DeviceId, remote, frame.Boot, frame.Firmware ?? "?", resume);

        var writer = session.RunWriterAsync();
        using var stopping = lifetime.ApplicationStopping.Register(
            () => session.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        try
        {
            PublishPresence(hub, online: true, frame.Firmware);
            await ReceiveLoopAsync(session, o);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Shutdown finished the ingest queue while this controller was still sending.
        }
        finally
        {
            session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
            if (controllers.Unregister(session) && await backplane.ReleaseAsync(session))
            {
                PublishPresence(hub, online: false);
            }

            metrics.ControllerConnected(-1);
            await writer;
            log.LogInformation("Controller {Device} disconnected ({State}, acked {Ack})", record.DeviceId, socket.State, session.AckSent);
        }
    }

    private async Task<(DeviceRecord, HelloFrame)?> ReadHelloAsync(WebSocket socket, string remote)
    {
        var o = options.Value;
        var buffer = ArrayPool<byte>.Shared.Rent(o.MaxFrameBytes + 1);
        try
        {
            var receive = WebSocketSession.ReceiveMessageAsync(socket, buffer, o.MaxFrameBytes, CancellationToken.None).AsTask();
            var stopping = lifetime.ApplicationStopping;
            var first = await Task.WhenAny(receive, Task.Delay(o.HelloTimeout, stopping));
            if (first != receive)
            {
                await RefuseAsync(socket, receive, remote, stopping.IsCancellationRequested ? null : "hello timeout");
                return null;
            }

            WebSocketMessageType type;
            int length;
            bool oversize;
            try
            {
                (type, length, oversize) = await receive;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                return null;
            }

            if (type == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "bye");
                return null;
            }

            if (oversize || type != WebSocketMessageType.Text)
            {
                await RefuseAsync(socket, null, remote, "hello expected");
                return null;
            }

            var frame = FrameValidator.ParseHello(buffer.AsMemory(0, length), out var error);
            if (frame is null)
            {
                await RefuseAsync(socket, null, remote, error);
                return null;
            }

            var (record, throttled) = await authenticator.AuthenticateAsync(frame.Device, frame.Token, remote);
            if (record is null)
            {
                await RefuseAsync(socket, null, remote, throttled
                    ? "too many failed hellos from this address or for this device: try again later"
                    : "unknown device or wrong token", frame.Device);
                return null;
            }

            return (record, frame);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Error frame + close 1008 ("reason" null: close 1001 for shutdown). Nothing was registered or stored.
    private async Task RefuseAsync(WebSocket socket, Task? pendingReceive, string remote, string? reason, string? device = null)
    {
        if (reason is null)
        {
            await CloseQuietlyAsync(socket, WebSocketCloseStatus.EndpointUnavailable, "server shutting down", pendingReceive);
            return;
        }

        metrics.AuthFailed();
        log.LogWarning("Controller refused from {Remote} (device {Device}): {Reason}", remote, device ?? "?", reason);
        try
        {
            using var timeout = new CancellationTokenSource(WebSocketSession.CloseGrace);
            await socket.SendAsync(ServerFrames.Error(ErrorCodes.Unauthorized, reason), WebSocketMessageType.Text, true, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return;
        }

        await CloseQuietlyAsync(socket, WebSocketCloseStatus.PolicyViolation, Short(reason), pendingReceive);
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string reason, Task? pendingReceive = null)
    {
        try
        {
            using var timeout = new CancellationTokenSource(WebSocketSession.CloseGrace);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }

            // Give the peer a moment to answer the close so it sees a clean handshake, then drop it.
            if (socket.State == WebSocketState.CloseSent)
            {
                var drain = pendingReceive ?? socket.ReceiveAsync(new byte[256], timeout.Token);
                await Task.WhenAny(drain, Task.Delay(WebSocketSession.CloseGrace));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
    }

    private async Task ReceiveLoopAsync(ControllerSession session, RelayOptions o)
    {
        var rejectedInARow = 0;
        // When the controller started sending above its rate without a break (null: it is within its rate).
        long? throttledSince = null;
        while (true)
        {
            byte[]? buffer = null;
            TimeSpan wait;
            try
            {
                // An idle controller holds no receive buffer: wait for the next frame with an empty read, then rent one.
                // The empty read consumes an empty message whole (it ends there): that one is handled as it is.
                var next = await session.Socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                buffer = ArrayPool<byte>.Shared.Rent(o.MaxFrameBytes + 1);
                var (type, length, oversize) = next.MessageType == WebSocketMessageType.Close || next.EndOfMessage
                    ? (next.MessageType, 0, false)
                    : await WebSocketSession.ReceiveMessageAsync(session.Socket, buffer, o.MaxFrameBytes, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }

                var now = clock.GetUtcNow().ToUnixTimeSeconds();
                session.Hub.State.Seen(now);
                if (session.IsClosing)
                {
                    continue; // Waiting for the peer's close frame; frames after our close are ignored.
                }

                var (rejection, accepted) = await HandleFrameAsync(session, buffer, length, type, oversize, now, o);
                if (rejection is null)
                {
                    rejectedInARow = 0;
                }
                else if (++rejectedInARow >= o.MaxRejectedFrames)
                {
                    log.LogWarning("Controller {Device}: {Count} rejected frames in a row: closing", session.DeviceId, rejectedInARow);
                    session.RequestClose(
                        rejection == ErrorCodes.TooLarge ? WebSocketCloseStatus.MessageTooBig : WebSocketCloseStatus.PolicyViolation,
                        "too many rejected frames");
                }

                wait = accepted ? session.Hub.State.Rate.Take() : TimeSpan.Zero;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Keepalive timeout (half-open TCP), abort, or a peer that vanished.
                return;
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (wait <= TimeSpan.Zero)
            {
                throttledSince = null;
                continue;
            }

            // Above its rate: the next frame is read later, never refused. Only a controller that stays above it for
            // long is closed; what it sent was stored or is acknowledged after its commit, what it did not send waits.
            metrics.RateDelayed();
            throttledSince ??= clock.GetTimestamp();
            if (clock.GetElapsedTime(throttledSince.Value) > o.MaxThrottledTime)
            {
                log.LogWarning("Controller {Device}: above {Rate} events/s for {Time}: closing", session.DeviceId, o.MaxEventsPerSecond, o.MaxThrottledTime);
                session.TrySend(ServerFrames.Error(ErrorCodes.RateLimited,
                    $"more than {o.MaxEventsPerSecond} events per second for {o.MaxThrottledTime.TotalMinutes:0} minutes: reconnect later"));
                session.RequestClose(WebSocketCloseStatus.PolicyViolation, "sending too fast for too long");
                continue;
            }

            await Task.Delay(wait, clock);
        }
    }

    // One frame: fanned out and queued for storage, acknowledged as a repeat, or rejected. Returns the error code of
    // a rejected frame (null otherwise), and whether it was a valid event (it counts against the rate).
    private async ValueTask<(string? Rejection, bool Accepted)> HandleFrameAsync(
        ControllerSession session, byte[] buffer, int length, WebSocketMessageType type, bool oversize, long now, RelayOptions o)
    {
        string code;
        string message;
        long? seq = null;
        if (oversize)
        {
            (code, message) = (ErrorCodes.TooLarge, $"frame larger than {o.MaxFrameBytes} bytes");
        }
        else if (type == WebSocketMessageType.Binary)
        {
            (code, message) = (ErrorCodes.BadJson, "binary frames are not accepted: send UTF-8 JSON text");
        }
        else
        {
            using var check = FrameValidator.Validate(buffer.AsMemory(0, length));
            seq = check.Seq;
            if (check.Ok)
            {
                metrics.EventIn();
                if (session.Stream.TryAccept(check.Seq!.Value))
                {
                    await pipeline.EnqueueAsync(new IngestItem(Publish(session, check, now), session, check.Seq.Value));
                }
                else
                {
                    // A repeat: stored or in flight already. Acked after whatever holds it is committed, never fanned out again.
                    metrics.Duplicate();
                    await pipeline.EnqueueAsync(new IngestItem(null, session, check.Seq.Value));
                }

                return (null, true);
            }
            else
            {
                (code, message) = (check.ErrorCode!, check.Message!);
            }
        }

        metrics.Rejected(code);
        log.LogWarning("Controller {Device}: rejected frame seq {Seq} ({Code}): {Message}", session.DeviceId, seq, code, message);
        if (!session.TrySend(ServerFrames.Error(code, message)))
        {
            log.LogWarning("Controller {Device} does not read its socket: disconnecting", session.DeviceId);
            session.Socket.Abort();
            return (code, false);
        }

        if (seq is long rejectedSeq)
        {
            // A rejected frame is never resent: it is acknowledged in order with the stored ones.
            await pipeline.EnqueueAsync(new IngestItem(null, session, rejectedSeq));
        }

        return (code, false);
    }

    // The live path: the device's state and dashboards here, the other instances through the backplane. Returns what to store.
    private IngestRecord Publish(ControllerSession session, in FrameCheck check, long now)
    {
        var name = check.Event!;
        var raw = check.RawData.Span;
        var isReading = ReadingKinds.TryParse(name, out var kind);
        var frame = ServerFrames.Tagged(name, session.DeviceId, check.Seq, raw);
        var update = DeviceUpdate.FromEvent(name, check.Time, now, check.Data, isReading ? kind : null, check.Record, check.Raw, check.Zone);
        session.Hub.Publish(update, frame, DashboardSession.IsDroppable(name));
        backplane.Publish(session.DeviceId, frame);
        if (name is EventNames.SettingsApplied or EventNames.SettingsRejected)
        {
            _ = settings.OnAnswerAsync(session.DeviceId, name, check.Data.Clone());
        }
        return new IngestRecord
        {
            DeviceId = session.DeviceId,
            Event = name,
            Boot = session.Boot,
            Seq = check.Seq,
            Time = check.Time,
            Received = now,
            Kind = isReading ? kind : null,
            Value = check.Record,
            Raw = check.Raw,
            Zone = update.Litres is null ? check.Zone : WaterZone.Of(update.Zones ?? []),
            Litres = update.Litres,
            DataJson = isReading ? null : Encoding.UTF8.GetString(raw),
        };
    }

    private void PublishPresence(DeviceHub hub, bool online, string? firmware = null)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var frame = ServerFrames.Presence(hub.DeviceId, online, now, firmware);
        hub.Publish(new DeviceUpdate(online ? EventNames.DeviceOnline : EventNames.DeviceOffline, now, now), frame, droppable: false);
        backplane.Publish(hub.DeviceId, frame);
    }

    // Close reasons are limited to 123 bytes of UTF-8.
    private static string Short(string reason) => Encoding.UTF8.GetByteCount(reason) <= 120 ? reason : reason[..60];
}
