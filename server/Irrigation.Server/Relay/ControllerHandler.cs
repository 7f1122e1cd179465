using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The controller side of the contract on <c>ws://HOST/</c>: hello within the timeout, welcome with resume,
/// validated events into the ingest pipeline, an error per rejected frame, closing persistent offenders.
/// </summary>
public sealed class ControllerHandler(
    DeviceAuthenticator authenticator,
    IAccountStore accounts,
    IEventStore events,
    DeviceStateRegistry states,
    ControllerRegistry controllers,
    IngestPipeline pipeline,
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
        var buffer = new byte[o.MaxFrameBytes + 1];
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";

        var hello = await ReadHelloAsync(socket, buffer, remote);
        if (hello is null)
        {
            return;
        }

        var (record, frame) = hello.Value;
        var state = await states.GetAsync(record);
        if (state.Zones.Length == 0 && frame.Zones.Length > 0)
        {
            // Provisioned without zones: the controller's own list becomes the device's zones.
            await accounts.SetDeviceZonesAsync(record.DeviceId, frame.Zones);
            lock (state.Hub.Gate)
            {
                state.Zones = frame.Zones;
            }
        }

        var resume = await events.GetResumeSeqAsync(record.DeviceId, frame.Boot);
        var session = new ControllerSession(socket, state, frame.Boot, o.ControllerQueueLength, watchdog);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        state.Seen(now);
        session.TrySend(ServerFrames.Welcome(now, resume));
        controllers.Register(session)?.RequestClose(WebSocketCloseStatus.NormalClosure, "replaced by a new connection");
        metrics.ControllerConnected(1);
        log.LogInformation("Controller {Device} online from {Remote} (boot {Boot}, firmware {Firmware}, resume {Resume})",
            record.DeviceId, remote, frame.Boot, frame.Firmware ?? "?", resume);

        var writer = session.RunWriterAsync();
        using var stopping = lifetime.ApplicationStopping.Register(
            () => session.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        try
        {
            await EnqueuePresenceAsync(state, online: true);
            await ReceiveLoopAsync(session, buffer, o);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Shutdown finished draining the pipeline while this controller was still sending.
        }
        finally
        {
            session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
            if (controllers.Unregister(session))
            {
                await EnqueuePresenceAsync(state, online: false);
            }

            metrics.ControllerConnected(-1);
            await writer;
            log.LogInformation("Controller {Device} disconnected ({State}, acked {Ack})", record.DeviceId, socket.State, session.AckSent);
        }
    }

    private async Task<(DeviceRecord, HelloFrame)?> ReadHelloAsync(WebSocket socket, byte[] buffer, string remote)
    {
        var o = options.Value;
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

        var record = await authenticator.AuthenticateAsync(frame.Device, frame.Token);
        if (record is null)
        {
            await RefuseAsync(socket, null, remote, "unknown device or wrong token", frame.Device);
            return null;
        }

        return (record, frame);
    }

    // Error frame + close 1008 ("stopping" = null: close 1001 for shutdown). Nothing was registered or stored.
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

    private async Task ReceiveLoopAsync(ControllerSession session, byte[] buffer, RelayOptions o)
    {
        var state = session.State;
        var rejectedInARow = 0;
        while (true)
        {
            WebSocketMessageType type;
            int length;
            bool oversize;
            try
            {
                (type, length, oversize) = await WebSocketSession.ReceiveMessageAsync(session.Socket, buffer, o.MaxFrameBytes, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Keepalive timeout (half-open TCP), abort, or a peer that vanished.
                return;
            }

            if (type == WebSocketMessageType.Close)
            {
                session.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                return;
            }

            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            state.Seen(now);
            if (session.IsClosing)
            {
                continue; // Waiting for the peer's close frame; frames after our close are ignored.
            }

            string? code = null;
            string? message = null;
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
                if (!check.Ok)
                {
                    (code, message) = (check.ErrorCode, check.Message);
                }
                else if (!state.Rate.TryTake())
                {
                    (code, message) = (ErrorCodes.RateLimited, $"more than {o.MaxEventsPerSecond} events per second");
                }
                else
                {
                    rejectedInARow = 0;
                    metrics.EventIn();
                    await pipeline.EnqueueAsync(Accept(session, check, now));
                    continue;
                }
            }

            metrics.Rejected(code!);
            log.LogWarning("Controller {Device}: rejected frame seq {Seq} ({Code}): {Message}", session.DeviceId, seq, code, message);
            if (!session.TrySend(ServerFrames.Error(code!, message!)))
            {
                log.LogWarning("Controller {Device} does not read its socket: disconnecting", session.DeviceId);
                session.Socket.Abort();
                return;
            }

            if (seq is long rejectedSeq)
            {
                await pipeline.EnqueueAsync(new IngestItem { Kind = IngestItemKind.Rejected, State = state, Origin = session, Seq = rejectedSeq });
            }

            if (++rejectedInARow >= o.MaxRejectedFrames)
            {
                log.LogWarning("Controller {Device}: {Count} rejected frames in a row: closing", session.DeviceId, rejectedInARow);
                session.RequestClose(
                    code == ErrorCodes.TooLarge ? WebSocketCloseStatus.MessageTooBig : WebSocketCloseStatus.PolicyViolation,
                    "too many rejected frames");
            }
        }
    }

    private static IngestItem Accept(ControllerSession session, in FrameCheck check, long now)
    {
        var name = check.Event!;
        var raw = check.RawData.Span;
        var frame = ServerFrames.Tagged(name, session.DeviceId, check.Seq, raw);
        bool isReading = ReadingKinds.TryParse(name, out var kind);
        var record = new IngestRecord
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
            Zone = check.Zone,
            DataJson = isReading ? null : Encoding.UTF8.GetString(raw),
        };
        // Only the other events carry a parsed document (readings may have been validated without one).
        var data = check.Data;
        string[]? zones = null;
        long duration = 0;
        switch (name)
        {
            case EventNames.IrrigationStarted:
                zones = Strings(data.GetProperty("zones"));
                duration = data.GetProperty("duration").GetInt64();
                break;
            case EventNames.IrrigationStopped:
                zones = Strings(data.GetProperty("zones"));
                break;
            case EventNames.Status:
                zones = Strings(data.GetProperty("open_zones"));
                break;
        }

        return new IngestItem
        {
            Kind = IngestItemKind.Event,
            State = session.State,
            Record = record,
            Origin = session,
            Seq = check.Seq!.Value,
            Frame = frame,
            Droppable = DashboardSession.IsDroppable(name),
            Zones = zones,
            Duration = duration,
        };
    }

    private static string[] Strings(JsonElement array)
    {
        var values = new string[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetString()!;
        }

        return values;
    }

    private async Task EnqueuePresenceAsync(DeviceState state, bool online)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            await pipeline.EnqueueAsync(new IngestItem
            {
                Kind = IngestItemKind.Presence,
                State = state,
                Online = online,
                Frame = ServerFrames.Presence(state.DeviceId, online, now),
            });
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Shutting down: the pipeline is drained already.
        }
    }

    // Close reasons are limited to 123 bytes of UTF-8.
    private static string Short(string reason) => Encoding.UTF8.GetByteCount(reason) <= 120 ? reason : reason[..60];
}
