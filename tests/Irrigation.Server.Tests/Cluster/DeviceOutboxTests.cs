using Irrigation.Server.Cluster;

namespace Irrigation.Server.Tests.Cluster;

/// <summary>The per-device batching of frames on their way to Redis.</summary>
public class DeviceOutboxTests
{
    [Fact]
    public async Task FourProducersAtOnce_EveryFrameSentOnceInEachProducersOrder_NoBatchOverTheBound()
    {
        // The controller's receive loop, commands and settings all publish for one device, from different threads.
        const int producers = 4, perProducer = 20_000;
        var batches = new List<byte[][]>();
        var sending = 0;
        var overlapped = false;
        var outbox = new DeviceOutbox(
            frames =>
            {
                overlapped |= Interlocked.Increment(ref sending) > 1;
                lock (batches)
                {
                    batches.Add([.. frames]);
                }

                Interlocked.Decrement(ref sending);
            },
            e => Assert.Fail(e.ToString()));

        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                outbox.Add([(byte)p, .. BitConverter.GetBytes(i)]);
            }
        })));
        // The last flush is queued on the thread pool.
        await WaitUntilAsync(() => { lock (batches) { return batches.Sum(b => b.Length) >= producers * perProducer; } });

        Assert.False(overlapped);
        Assert.All(batches, b => Assert.InRange(b.Length, 1, DeviceOutbox.MaxFrames));
        var sent = batches.SelectMany(b => b).ToList();
        Assert.Equal(producers * perProducer, sent.Count);
        for (var p = 0; p < producers; p++)
        {
            var ofProducer = sent.Where(f => f[0] == p).Select(f => BitConverter.ToInt32(f, 1));
            Assert.Equal(Enumerable.Range(0, perProducer), ofProducer);
        }
    }

    [Fact]
    public async Task SendFails_ReportedAndTheNextFramesStillGo()
    {
        // A failed PUBLISH (the connection disposed while stopping) must not wedge the device's outbox.
        var failures = 0;
        var after = new List<byte[]>();
        var calls = 0;
        var flaky = new DeviceOutbox(frames => { if (calls++ == 0) { throw new InvalidOperationException("gone"); } after.AddRange(frames); }, _ => failures++);
        flaky.Add([1]);
        await WaitUntilAsync(() => failures == 1);
        flaky.Add([2]);
        await WaitUntilAsync(() => after.Count == 1);
        Assert.Equal(2, after[0][0]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }
}
