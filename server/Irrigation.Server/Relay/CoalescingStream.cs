namespace Irrigation.Server.Relay;

/// <summary>
/// The upgraded connection's stream under a dashboard's WebSocket, able to gather the frames of one drain of its
/// queue into a single write. Kestrel's write path (pipe, flush, send scheduling) costs about as much per frame as
/// the frame itself, and a dashboard gets its frames in bursts (one per committed ingest batch): while
/// <see cref="Hold"/> is in effect, writes are copied into a buffer, and <see cref="ReleaseAsync"/> writes them out at
/// once. Everything else (reads, and every write outside a hold) passes straight through.
/// </summary>
/// <remarks>
/// The WebSocket issues one write at a time, but two callers can reach this stream at once: the session's sender
/// releasing a hold, and the WebSocket's keep-alive timer sending a ping. Every write to the inner stream therefore
/// goes through one gate, and the buffer is never filled while its bytes are being written out.
/// </remarks>
public sealed class CoalescingStream(Stream inner, int capacity) : Stream
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _buffer;
    private int _length;
    private bool _holding;
    private bool _writingOut;

    /// <summary>Starts gathering writes (called by the one sender of the socket, before a drain).</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _holding = true;
        }
    }

    /// <summary>Stops gathering and writes out what was gathered; the drain is on the wire (or in Kestrel) after it.</summary>
    public ValueTask ReleaseAsync()
    {
        lock (_lock)
        {
            _holding = false;
            if (_length == 0)
            {
                return ValueTask.CompletedTask;
            }
        }

        return WriteOutAsync(ReadOnlyMemory<byte>.Empty);
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_holding && !_writingOut && _length + buffer.Length <= capacity)
            {
                // Allocated on the first hold only: controllers and idle dashboards never pay for it.
                _buffer ??= new byte[capacity];
                buffer.Span.CopyTo(_buffer.AsSpan(_length));
                _length += buffer.Length;
                return ValueTask.CompletedTask;
            }

            if (_length == 0 && _gate.Wait(0))
            {
                // Nothing gathered and nobody writing: straight through, in order.
                return WriteThroughAsync(buffer, cancellationToken);
            }
        }

        return WriteOutAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    // What was gathered first, then the new bytes: the frames leave in the order the WebSocket wrote them.
    private async ValueTask WriteOutAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            int gathered;
            lock (_lock)
            {
                gathered = _length;
                _writingOut = gathered > 0;
            }

            if (gathered > 0)
            {
                await inner.WriteAsync(_buffer.AsMemory(0, gathered), cancellationToken);
                lock (_lock)
                {
                    _length = 0;
                    _writingOut = false;
                }
            }

            if (!buffer.IsEmpty)
            {
                await inner.WriteAsync(buffer, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override bool CanRead => inner.CanRead;

    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
