using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Irrigation.Core.Link;

namespace Irrigation.Server.Simulation;

/// <summary>
/// The shared core's <see cref="ILinkTransport"/> over a real <see cref="ClientWebSocket"/>, for simulated
/// controllers and load generation. Like the firmware's transport it never blocks the tick thread: connecting,
/// sending and receiving run on their own tasks; a fresh socket is made for every connection attempt.
/// </summary>
public sealed class WebSocketLinkTransport : ILinkTransport, IDisposable
{
    private const int MaxIncoming = 64;
    private const int MaxOutgoing = 256;
    private const int MaxFrameBytes = 8 * 1024;

    private readonly TimeSpan _keepAlive;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<string> _incoming = new();
    private int _incomingCount;
    private Connection? _connection;
    private volatile LinkState _state = LinkState.Closed;

    public WebSocketLinkTransport(TimeSpan keepAlive)
    {
        _keepAlive = keepAlive;
    }

    public LinkState State => _state;

    /// <summary>Frames received but not yet taken, dropped because the controller was not reading fast enough.</summary>
    public long DroppedIncoming { get; private set; }

    public void Connect(string url)
    {
        Connection connection;
        lock (_gate)
        {
            if (_state != LinkState.Closed)
            {
                return;
            }

            _connection?.Cancel();
            // Frames of an earlier connection (acks, commands) mean nothing on a new one.
            while (_incoming.TryDequeue(out _))
            {
                Interlocked.Decrement(ref _incomingCount);
            }

            connection = new Connection();
            _connection = connection;
            _state = LinkState.Connecting;
        }

        _ = RunAsync(connection, new Uri(url));
    }

    public bool Send(string frame)
    {
        var connection = _connection;
        return _state == LinkState.Open && connection != null && connection.Outgoing.Writer.TryWrite(frame);
    }

    public string? Receive()
    {
        if (_incoming.TryDequeue(out var frame))
        {
            Interlocked.Decrement(ref _incomingCount);
            return frame;
        }

        return null;
    }

    public void Disconnect()
    {
        lock (_gate)
        {
            _connection?.Cancel();
            _connection = null;
            _state = LinkState.Closed;
        }
    }

    /// <summary>Kills the connection without a close frame, as a lost Wi-Fi link would.</summary>
    public void Drop() => Disconnect();

    public void Dispose() => Disconnect();

    private async Task RunAsync(Connection connection, Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = _keepAlive;
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.Token))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await socket.ConnectAsync(uri, timeout.Token).ConfigureAwait(false);
            }

            if (!SetState(connection, LinkState.Open))
            {
                return;
            }

            var sending = SendLoopAsync(socket, connection);
            await ReceiveLoopAsync(socket, connection).ConfigureAwait(false);
            connection.Cancel();
            await sending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or HttpRequestException)
        {
            // A failed or lost connection is an ordinary event for a controller: the core backs off and retries.
        }
        finally
        {
            connection.Cancel();
            socket.Abort();
            SetState(connection, LinkState.Closed);
        }
    }

    private bool SetState(Connection connection, LinkState state)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return false;
            }

            _state = state;
            if (state == LinkState.Closed)
            {
                _connection = null;
            }

            return true;
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, Connection connection)
    {
        var buffer = new byte[MaxFrameBytes];
        while (!connection.Token.IsCancellationRequested)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    return; // larger than any frame the server sends: treat as a broken link
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), connection.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType != WebSocketMessageType.Text)
            {
                continue;
            }

            if (Interlocked.Increment(ref _incomingCount) > MaxIncoming)
            {
                Interlocked.Decrement(ref _incomingCount);
                DroppedIncoming++;
                continue;
            }

            _incoming.Enqueue(Encoding.UTF8.GetString(buffer, 0, length));
        }
    }

    private static async Task SendLoopAsync(ClientWebSocket socket, Connection connection)
    {
        try
        {
            await foreach (var frame in connection.Outgoing.Reader.ReadAllAsync(connection.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, connection.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            connection.Cancel();
        }
    }

    private sealed class Connection
    {
        private readonly CancellationTokenSource _cts = new();

        public Channel<string> Outgoing { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxOutgoing) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        public CancellationToken Token => _cts.Token;

        public void Cancel()
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
