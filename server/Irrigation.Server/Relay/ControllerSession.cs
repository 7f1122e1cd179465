using System.Net.WebSockets;

namespace Irrigation.Server.Relay;

/// <summary>
/// A controller connection after a successful hello: its bounded outbound queue (welcome, errors, commands) and its
/// cumulative ack. Acks coalesce: the ingest completer raises the value and queues at most one marker, and whoever
/// sends the queue sends the latest value when it reaches the marker, so acks keep their place behind the welcome.
/// </summary>
public sealed class ControllerSession : WebSocketSession
{
    private readonly Queue<byte[]?> _outbound = new();
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private long _ackValue;
    private long _ackSent;
    private bool _ackQueued;

    /// <summary>Wraps a socket whose hello was accepted.</summary>
    public ControllerSession(WebSocket socket, DeviceState state, long boot, int capacity, SendWatchdog watchdog)
        : base(socket, watchdog)
    {
        State = state;
        Boot = boot;
        _capacity = Math.Max(2, capacity);
    }

    /// <summary>The device's state.</summary>
    public DeviceState State { get; }

    /// <summary>The device id.</summary>
    public string DeviceId => State.DeviceId;

    /// <summary>The boot id from hello.</summary>
    public long Boot { get; }

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
    /// Every seq up to <paramref name="seq"/> is handled (stored or rejected); called by the ingest completer, which
    /// then sends the ack with <see cref="WebSocketSession.SendQueuedInline"/> once per batch (no thread hop per ack).
    /// </summary>
    public void Handled(long seq)
    {
        lock (_lock)
        {
            if (seq <= _ackValue)
            {
                // A repeated seq is acknowledged again with the current cumulative value.
                seq = _ackValue;
            }

            _ackValue = seq;
            if (_ackQueued)
            {
                return;
            }

            _ackQueued = true;
            // The marker may exceed the capacity by one: an ack must never be lost for lack of room.
            _outbound.Enqueue(null);
        }
    }

    /// <inheritdoc />
    protected override bool HasQueued
    {
        get
        {
            lock (_lock)
            {
                return _outbound.Count > 0;
            }
        }
    }

    /// <inheritdoc />
    protected override bool TryDequeue(out ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            while (_outbound.TryDequeue(out var next))
            {
                if (next is not null)
                {
                    frame = next;
                    return true;
                }

                _ackQueued = false;
                // Sent even when unchanged: a repeated seq is answered with the current value.
                if (_ackValue > 0)
                {
                    _ackSent = _ackValue;
                    frame = ServerFrames.Ack(_ackValue);
                    return true;
                }
            }
        }

        frame = default;
        return false;
    }
}
