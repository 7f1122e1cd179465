using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Clients;

/// <summary>
/// One simulated controller on a raw ClientWebSocket: hello, welcome, then numbered temperature events, either at
/// a fixed rate or as fast as a window of unacknowledged events allows. Send times are kept per seq so dashboards
/// and acks can be matched to them.
/// </summary>
public sealed class ControllerClient(int index, string token, Meter meter) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _sendBuffer = new byte[128];
    private readonly byte[] _receiveBuffer = new byte[1024];
    private SemaphoreSlim? _window;
    private long _acked;
    private Task _receiver = Task.CompletedTask;

    /// <summary>The controller's number (device b-NNNNN).</summary>
    public int Index { get; } = index;

    /// <summary>When each seq was sent.</summary>
    public SendLog Log { get; } = new();

    /// <summary>Highest seq sent.</summary>
    public long LastSent { get; private set; }

    /// <summary>Highest cumulative ack received.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Connects, says hello and waits for welcome; starts the ack reader.</summary>
    public async Task ConnectAsync(Uri server, CancellationToken ct)
    {
        await _socket.ConnectAsync(server, ct);
        var boot = Random.Shared.NextInt64(1, uint.MaxValue);
        var hello = $"{{\"event\":\"hello\",\"data\":{{\"device\":\"{Frames.DeviceId(Index)}\",\"token\":\"{token}\",\"firmware\":\"bench\",\"protocol\":1,\"boot\":{boot},\"zones\":[\"zone1\"],\"sensors\":[\"temperature\"]}}}}";
        await _socket.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, true, ct);
        var first = await _socket.ReceiveAsync(_receiveBuffer, ct);
        var text = Encoding.UTF8.GetString(_receiveBuffer, 0, first.Count);
        if (first.MessageType != WebSocketMessageType.Text || !text.Contains("\"welcome\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Frames.DeviceId(Index)}: expected welcome, got {first.MessageType} {text}");
        }

        _receiver = ReceiveLoopAsync();
    }

    /// <summary>Sends one event every period (first after phase) until stopAt.</summary>
    public async Task RunAtRateAsync(TimeSpan period, TimeSpan phase, long stopAt)
    {
        var start = Stopwatch.GetTimestamp();
        var k = 0L;
        while (true)
        {
            var due = start + (long)((phase + (period * k++)).TotalSeconds * Stopwatch.Frequency);
            if (due >= stopAt)
            {
                return;
            }

            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (!await SendNextAsync())
            {
                return;
            }
        }
    }

    /// <summary>Sends as fast as at most <paramref name="window"/> unacknowledged events allow, until stopAt.</summary>
    public async Task RunSaturatedAsync(int window, long stopAt)
    {
        _window = new SemaphoreSlim(window, int.MaxValue);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            if (!await _window.WaitAsync(TimeSpan.FromSeconds(5)))
            {
                return; // No ack for 5 s: the server is gone or stuck; the report shows it.
            }

            if (!await SendNextAsync())
            {
                return;
            }
        }
    }

    private async Task<bool> SendNextAsync()
    {
        var seq = LastSent + 1;
        var length = Frames.Temperature(_sendBuffer, seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 200 + (int)(seq % 50));
        var now = Stopwatch.GetTimestamp();
        Log.Set(seq, now);
        LastSent = seq;
        meter.OnSent(now);
        try
        {
            await _socket.SendAsync(_sendBuffer.AsMemory(0, length), WebSocketMessageType.Text, true, CancellationToken.None);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                // Acks and errors are small; a pending receive also answers the server's keepalive pings.
                var result = await _socket.ReceiveAsync(_receiveBuffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                var frame = _receiveBuffer.AsSpan(0, result.Count);
                if (Frames.IsAck(frame))
                {
                    var upTo = Frames.Seq(frame);
                    var from = Interlocked.Read(ref _acked);
                    for (var s = from + 1; s <= upTo; s++)
                    {
                        meter.OnAcked(Log.Get(s), now);
                    }

                    if (upTo > from)
                    {
                        Interlocked.Exchange(ref _acked, upTo);
                        _window?.Release((int)(upTo - from));
                    }
                }
                else if (Frames.IsError(frame))
                {
                    meter.OnError();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>True while the socket is open.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Drops the connection without a close handshake (the benchmark ends; the server is stopped next).</summary>
    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiver;
        _socket.Dispose();
    }
}
