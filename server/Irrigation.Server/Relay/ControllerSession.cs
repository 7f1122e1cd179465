using System.Net.WebSockets;

namespace Irrigation.Server.Relay;

/// <summary>
/// A controller connection after a successful hello: its bounded outbound queue (welcome, errors, commands), its
/// coalesced cumulative ack, and its boot's live-path seq mark.
/// Acks coalesce: after each commit the ingest writer raises the value and queues at most one marker; the writer
/// loop sends the latest value when it reaches the marker, so an ack keeps its place behind the welcome.
/// </summary>
public sealed class ControllerSession : WebSocketSession
{
    private readonly Queue<byte[]?> _outbound = new();
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private long _ackValue;
    private long _ackSent;
    private bool _ackQueued;

    /// <summary>Wraps a socket whose hello was accepted; <paramref name="stream"/> is its boot's live-path seq mark.</summary>
    public ControllerSession(WebSocket socket, DeviceHub hub, BootStream stream, int capacity, SendWatchdog watchdog)
        : base(socket, watchdog)
    {
        Hub = hub;
        Stream = stream;
        _capacity = Math.Max(2, capacity);
    }

    /// <summary>The device's hub (its state and its dashboards).</summary>
    public DeviceHub Hub { get; }

    /// <summary>The device id.</summary>
    public string DeviceId => Hub.DeviceId;

    /// <summary>The boot id from hello.</summary>
    public long Boot => Stream.Boot;

    /// <summary>The boot's live-path seq mark (a repeat is never fanned out twice).</summary>
    public BootStream Stream { get; }

    /// <summary>The UTC offset the controller was last sent (seconds east), so a DST change is sent once.</summary>
    public int UtcOffset { get; set; }

    /// <summary>The hash of the token the controller said hello with (checked again when credentials change).</summary>
    public byte[] TokenHash { get; init; } = [];

    /// <summary>A unique id of this connection (a new connection of the device replaces the one with another id).</summary>
    public string ConnectionId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Highest ack value sent so far on this connection.</summary>
    public long AckSent
    {
        get
        {
            lock (_lock)
            {
                return _ackSent;
            }
        }
    }

    /// <summary>Queues a frame; false when the queue is full (the controller does not read) or closing.</summary>
    public bool TrySend(byte[] frame)
    {
        lock (_lock)
        {
            if (IsClosing || _outbound.Count >= _capacity)
            {
                return false;
            }

            _outbound.Enqueue(frame);
        }

        Signal();
        return true;
    }

    /// <summary>
    /// Every seq up to <paramref name="seq"/> is handled (stored or rejected); called by the ingest writer after the
    /// commit that holds it. The ack itself leaves with <see cref="QueueAck"/>, once per commit.
    /// </summary>
    public void Handled(long seq)
    {
        lock (_lock)
        {
            _ackValue = Math.Max(_ackValue, seq);
        }
    }

    /// <summary>
    /// Queues an ack with the current cumulative value (at most one waits at a time). Also answers a repeated seq,
    /// which is acknowledged again with the current value.
    /// </summary>
    public void QueueAck()
    {
        lock (_lock)
        {
            if (_ackQueued || _ackValue == 0 || IsClosing)
            {
                return;
            }

            _ackQueued = true;
            // The marker may exceed the capacity by one: an ack must never be lost for lack of room.
            _outbound.Enqueue(null);
        }

        Signal();
    }

    /// <inheritdoc />
    protected override bool TryDequeue(out ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            if (_outbound.TryDequeue(out var next))
            {
                if (next is null)
                {
                    _ackQueued = false;
                    _ackSent = _ackValue;
                    next = ServerFrames.Ack(_ackValue);
                }

                frame = next;
                return true;
            }
        }

        frame = default;
        return false;
    }
}
