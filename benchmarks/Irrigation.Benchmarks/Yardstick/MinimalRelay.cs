using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Irrigation.Benchmarks.Yardstick;

/// <summary>
/// The yardstick: the least a relay must do for the same clients. Controllers on "/" (hello read for the device id,
/// no token check), dashboards on "/clients/…" (no auth). Each event is tagged with its device once and the same
/// bytes go to every dashboard through a bounded drop-oldest queue with one writer per socket, like the product;
/// the ack goes back at once. No validation, no storage, no per-user routing, no metrics beyond a drop count.
/// </summary>
public static class MinimalRelay
{
    private static DashboardPeer[] s_dashboards = [];
    private static long s_dropped;
    private static long s_out;

    /// <summary>Runs until SIGTERM; prints "Listening on URL", as the product does, once bound (--urls sets where).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.Request.Path == "/metrics")
            {
                await context.Response.WriteAsync(
                    $"irrigation_dropped_total {Interlocked.Read(ref s_dropped)}\nirrigation_events_out_total {Interlocked.Read(ref s_out)}\n");
                return;
            }

            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 404;
                return;
            }

            if (context.Request.Path == "/")
            {
                await ControllerAsync(await context.WebSockets.AcceptWebSocketAsync());
            }
            else if (context.Request.Path.StartsWithSegments("/clients"))
            {
                await DashboardAsync(await context.WebSockets.AcceptWebSocketAsync());
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("Listening on " + address + " (yardstick)");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task ControllerAsync(WebSocket socket)
    {
        var buffer = new byte[8 * 1024 + 1];
        var ack = new byte[64];
        try
        {
            var hello = await socket.ReceiveAsync(buffer, CancellationToken.None);
            string device;
            using (var doc = JsonDocument.Parse(buffer.AsMemory(0, hello.Count)))
            {
                device = doc.RootElement.GetProperty("data").GetProperty("device").GetString()!;
            }

            var prefix = System.Text.Encoding.UTF8.GetBytes($"{{\"device\":\"{device}\",");
            var welcome = System.Text.Encoding.UTF8.GetBytes(
                $"{{\"event\":\"welcome\",\"data\":{{\"time\":{DateTimeOffset.UtcNow.ToUnixTimeSeconds()},\"resume\":0}}}}");
            await socket.SendAsync(welcome, WebSocketMessageType.Text, true, CancellationToken.None);
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += r.Count;
                }
                while (!r.EndOfMessage && length < buffer.Length);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var frame = buffer.AsSpan(0, length);
                // Tag once: {"device":"X", + the frame without its opening brace; the same array to every dashboard.
                var tagged = new byte[prefix.Length + length - 1];
                prefix.CopyTo(tagged, 0);
                frame[1..].CopyTo(tagged.AsSpan(prefix.Length));
                foreach (var d in Volatile.Read(ref s_dashboards))
                {
                    d.Enqueue(tagged);
                }

                var seq = RawFrames.Seq(frame);
                var n = Copy(ack, "{\"event\":\"ack\",\"data\":{\"seq\":"u8, 0);
                Utf8Formatter.TryFormat(seq, ack.AsSpan(n), out var w);
                n = Copy(ack, "}}"u8, n + w);
                await socket.SendAsync(ack.AsMemory(0, n), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
        }
    }

    private static async Task DashboardAsync(WebSocket socket)
    {
        var peer = new DashboardPeer();
        lock (typeof(MinimalRelay))
        {
            s_dashboards = [.. s_dashboards, peer];
        }

        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var frame in peer.Queue.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                    Interlocked.Increment(ref s_out);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });
        try
        {
            var buffer = new byte[1024];
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            lock (typeof(MinimalRelay))
            {
                s_dashboards = Array.FindAll(s_dashboards, d => d != peer);
            }

            peer.Queue.Writer.TryComplete();
            await writer;
        }
    }

    private static int Copy(byte[] buffer, ReadOnlySpan<byte> text, int at)
    {
        text.CopyTo(buffer.AsSpan(at));
        return at + text.Length;
    }

    private sealed class DashboardPeer
    {
        // Same bound and policy as the product's default dashboard queue: 1024 frames, oldest dropped.
        public Channel<byte[]> Queue { get; } = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref s_dropped));

        public void Enqueue(byte[] frame) => Queue.Writer.TryWrite(frame);
    }
}
