namespace Irrigation.Server.Cluster;

/// <summary>
/// One device's frames on their way to Redis. The first frame queues a flush on the thread pool; the flush hands
/// everything added by then to <c>send</c> as one message, so the burst a controller sends back to back (its send
/// window) costs one PUBLISH instead of one per frame. Frames leave in the order they were added, and a device's
/// flushes never overlap (they run under its lock). At most <see cref="MaxFrames"/> wait: the frame that fills the box
/// flushes it on the spot. Measured (docs/benchmarks.md, "Cluster: one PUBLISH per burst"): at saturation 7.3 frames per
/// PUBLISH, and the Redis path's CPU per event beyond one instance 8.3 → 5.3 µs (both instances and Redis cheaper).
/// </summary>
internal sealed class DeviceOutbox(Action<List<byte[]>> send, Action<Exception> failed) : IThreadPoolWorkItem
{
    /// <summary>Most frames in one message.</summary>
    public const int MaxFrames = 32;

    private readonly Lock _lock = new();
    private readonly List<byte[]> _frames = [];
    private bool _flushQueued;

    /// <summary>Queues a frame; never waits for Redis.</summary>
    public void Add(byte[] frame)
    {
        lock (_lock)
        {
            _frames.Add(frame);
            if (_frames.Count >= MaxFrames)
            {
                Flush();
                return;
            }

            if (_flushQueued)
            {
                return;
            }

            _flushQueued = true;
        }

        // preferLocal: on a busy thread the flush runs once it has read the rest of the burst from the socket.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    /// <inheritdoc />
    void IThreadPoolWorkItem.Execute()
    {
        lock (_lock)
        {
            _flushQueued = false;
            Flush();
        }
    }

    // Under the lock. A failure (shutting down) loses these frames for the other instances' dashboards only: they are
    // stored by this instance as always.
    private void Flush()
    {
        if (_frames.Count == 0)
        {
            return;
        }

        try
        {
            send(_frames);
        }
        catch (Exception e)
        {
            failed(e);
        }
        finally
        {
            _frames.Clear();
        }
    }
}
