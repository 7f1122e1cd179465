namespace Irrigation.Server.Relay;

/// <summary>
/// A dashboard's bounded send queue. Telemetry (readings, status) and must-deliver frames (irrigation, alarms,
/// commands, presence, snapshot) sit in two FIFOs numbered by one counter, so the writer still sends in arrival
/// order while dropping the oldest telemetry is O(1). At most <c>capacity</c> frames are held in total.
/// </summary>
public sealed class DashboardQueue(int capacity, TimeSpan stuckTimeout, TimeProvider clock)
{
    private readonly Queue<(long Order, byte[] Frame)> _telemetry = new();
    private Queue<(long Order, byte[] Frame)> _important = new();
    private readonly Lock _lock = new();
    private readonly int _capacity = Math.Max(1, capacity);
    private long _order;
    private long _fullSince;
    private bool _closed;

    /// <summary>Frames queued now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _telemetry.Count + _important.Count;
            }
        }
    }

    /// <summary>Queues a frame, applying the drop policy when full. Never blocks.</summary>
    public EnqueueResult Enqueue(byte[] frame, bool droppable)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return EnqueueResult.Closed;
            }

            var result = EnqueueResult.Queued;
            if (_telemetry.Count + _important.Count >= _capacity)
            {
                var now = clock.GetTimestamp();
                if (_fullSince == 0)
                {
                    _fullSince = now;
                }
                else if (clock.GetElapsedTime(_fullSince, now) > stuckTimeout)
                {
                    return EnqueueResult.Stuck;
                }

                if (_telemetry.Count > 0)
                {
                    _telemetry.Dequeue();
                    result = EnqueueResult.DroppedOldest;
                }
                else if (droppable)
                {
                    return EnqueueResult.DroppedNew;
                }
                else
                {
                    return EnqueueResult.Overflow;
                }
            }

            (droppable ? _telemetry : _important).Enqueue((++_order, frame));
            return result;
        }
    }

    /// <summary>
    /// Queues a must-deliver frame ahead of everything queued (the snapshot: the frames queued while it was being
    /// built are newer than what it shows). It may exceed the capacity by one.
    /// </summary>
    public void EnqueueFirst(byte[] frame)
    {
        lock (_lock)
        {
            if (!_closed)
            {
                _important = new Queue<(long Order, byte[] Frame)>([(0, frame), .. _important]);
            }
        }
    }

    /// <summary>The oldest queued frame.</summary>
    public bool TryDequeue(out byte[] frame)
    {
        lock (_lock)
        {
            var hasTelemetry = _telemetry.TryPeek(out var t);
            var hasImportant = _important.TryPeek(out var i);
            if (!hasTelemetry && !hasImportant)
            {
                frame = [];
                return false;
            }

            frame = hasTelemetry && (!hasImportant || t.Order < i.Order) ? _telemetry.Dequeue().Frame : _important.Dequeue().Frame;
            if (_telemetry.Count + _important.Count < _capacity)
            {
                _fullSince = 0;
            }

            return true;
        }
    }

    /// <summary>Drops everything queued and refuses further frames.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _telemetry.Clear();
            _important.Clear();
        }
    }
}
