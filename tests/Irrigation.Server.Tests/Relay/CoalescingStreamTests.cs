using Irrigation.Server.Relay;

namespace Irrigation.Server.Tests.Relay;

public class CoalescingStreamTests
{
    [Fact]
    public async Task ReleaseAsync_AfterHeldWrites_OneInnerWriteInOrder()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingStream(inner, 64);

        stream.Hold();
        await stream.WriteAsync("ab"u8.ToArray());
        await stream.WriteAsync("cd"u8.ToArray());
        Assert.Empty(inner.Writes);
        await stream.ReleaseAsync();

        Assert.Equal(["abcd"], inner.Writes);
    }

    [Fact]
    public async Task WriteAsync_NotHeld_PassesStraightThrough()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingStream(inner, 64);

        await stream.WriteAsync("ab"u8.ToArray());
        await stream.ReleaseAsync();
        await stream.WriteAsync("cd"u8.ToArray());

        Assert.Equal(["ab", "cd"], inner.Writes);
    }

    [Fact]
    public async Task WriteAsync_HeldAndOverCapacity_GatheredBytesFirstThenTheWrite()
    {
        var inner = new RecordingStream();
        var stream = new CoalescingStream(inner, 4);

        stream.Hold();
        await stream.WriteAsync("abc"u8.ToArray());
        await stream.WriteAsync("defg"u8.ToArray());
        await stream.WriteAsync("h"u8.ToArray());
        await stream.ReleaseAsync();

        Assert.Equal(["abc", "defg", "h"], inner.Writes);
    }

    [Fact]
    public async Task WriteAsync_WhileReleaseIsWritingOut_WaitsAndKeepsTheOrder()
    {
        // A keep-alive ping arriving while the gathered frames are still being written must neither interleave
        // with them nor land in the buffer being written out.
        var gate = new TaskCompletionSource();
        var inner = new RecordingStream { Gate = gate };
        var stream = new CoalescingStream(inner, 64);
        stream.Hold();
        await stream.WriteAsync("frames"u8.ToArray());

        var release = stream.ReleaseAsync().AsTask();
        var ping = stream.WriteAsync("ping"u8.ToArray()).AsTask();
        Assert.False(release.IsCompleted);
        Assert.False(ping.IsCompleted);
        gate.SetResult();
        await Task.WhenAll(release, ping);

        Assert.Equal(["frames", "ping"], inner.Writes);
    }

    [Fact]
    public async Task ReadAsync_Always_ReadsTheInnerStream()
    {
        var inner = new RecordingStream();
        inner.Incoming.Write("hello"u8);
        inner.Incoming.Position = 0;
        var stream = new CoalescingStream(inner, 64);
        var buffer = new byte[8];

        var read = await stream.ReadAsync(buffer);

        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    private sealed class RecordingStream : Stream
    {
        public List<string> Writes { get; } = [];

        public MemoryStream Incoming { get; } = new();

        // When set, the first write waits for it (an inner write that does not complete at once).
        public TaskCompletionSource? Gate { get; set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var text = System.Text.Encoding.UTF8.GetString(buffer.Span);
            if (Gate is { } gate)
            {
                Gate = null;
                await gate.Task;
            }

            Writes.Add(text);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Incoming.ReadAsync(buffer, cancellationToken);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Incoming.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
