using System.Diagnostics;
using System.Net.WebSockets;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Clients;

/// <summary>
/// One dashboard: reads every frame as fast as it comes, matches (device, seq) to the controller's send time and
/// records the end-to-end latency. The snapshot and presence frames (no seq) are skipped.
/// </summary>
public sealed class DashboardClient(IReadOnlyList<ControllerClient> controllers, Meter meter) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task _receiver = Task.CompletedTask;

    /// <summary>Event frames received in total.</summary>
    public long Received { get; private set; }

    /// <summary>True if the server closed this dashboard.</summary>
    public bool ClosedByServer { get; private set; }

    /// <summary>Connects to ws://HOST/clients/{user}?access_token=… and starts reading.</summary>
    public async Task ConnectAsync(Uri uri, CancellationToken ct)
    {
        await _socket.ConnectAsync(uri, ct);
        _receiver = ReceiveLoopAsync();
    }

    private async Task ReceiveLoopAsync()
    {
        // Large enough for the snapshot of every benchmark device in one piece; events are ~100 bytes.
        var buffer = new byte[4 * 1024 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedByServer = true;
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                var frame = buffer.AsSpan(0, length);
                var seq = Frames.Seq(frame);
                if (seq < 0)
                {
                    continue;
                }

                var device = Frames.DeviceIndex(frame);
                var sentAt = device >= 0 && device < controllers.Count ? controllers[(int)device].Log.Get(seq) : 0;
                Received++;
                meter.OnDelivered(sentAt, now);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Drops the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiver;
        _socket.Dispose();
    }
}
