using System.Text;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Tests.Relay;

public class DashboardQueueTests
{
    [Fact]
    public void Enqueue_FullWithTelemetry_DropsOldestTelemetryOnly()
    {
        var queue = new DashboardQueue(3, TimeSpan.FromHours(1), TimeProvider.System);
        queue.Enqueue(F("t1"), droppable: true);
        queue.Enqueue(F("alarm"), droppable: false);
        queue.Enqueue(F("t2"), droppable: true);

        var result = queue.Enqueue(F("t3"), droppable: true);

        Assert.Equal(EnqueueResult.DroppedOldest, result);
        Assert.Equal(["alarm", "t2", "t3"], Drain(queue));
    }

    [Fact]
    public void Enqueue_FullOfMustDeliverFrames_ReportsOverflowForAnotherOne()
    {
        var queue = new DashboardQueue(2, TimeSpan.FromHours(1), TimeProvider.System);
        queue.Enqueue(F("a"), droppable: false);
        queue.Enqueue(F("b"), droppable: false);

        Assert.Equal(EnqueueResult.Overflow, queue.Enqueue(F("c"), droppable: false));
        Assert.Equal(EnqueueResult.DroppedNew, queue.Enqueue(F("t"), droppable: true));
        Assert.Equal(["a", "b"], Drain(queue));
    }

    [Fact]
    public void TryDequeue_MixedKinds_KeepsArrivalOrder()
    {
        var queue = new DashboardQueue(10, TimeSpan.FromHours(1), TimeProvider.System);
        var names = new[] { "t1", "i1", "t2", "t3", "i2", "t4" };
        foreach (var name in names)
        {
            queue.Enqueue(F(name), droppable: name[0] == 't');
        }

        Assert.Equal(names, Drain(queue));
    }

    [Fact]
    public void Enqueue_FullLongerThanStuckTimeout_ReportsStuck()
    {
        var clock = new ManualClock();
        var queue = new DashboardQueue(1, TimeSpan.FromSeconds(5), clock);
        queue.Enqueue(F("a"), droppable: true);
        Assert.Equal(EnqueueResult.DroppedOldest, queue.Enqueue(F("b"), droppable: true));

        clock.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(EnqueueResult.Stuck, queue.Enqueue(F("c"), droppable: true));
    }

    [Fact]
    public void Close_DropsQueuedFramesAndRefusesNewOnes()
    {
        var queue = new DashboardQueue(4, TimeSpan.FromHours(1), TimeProvider.System);
        queue.Enqueue(F("a"), droppable: false);

        queue.Close();

        Assert.Equal(0, queue.Count);
        Assert.Equal(EnqueueResult.Closed, queue.Enqueue(F("b"), droppable: false));
    }

    private static byte[] F(string name) => Encoding.UTF8.GetBytes(name);

    private static List<string> Drain(DashboardQueue queue)
    {
        var names = new List<string>();
        while (queue.TryDequeue(out var frame))
        {
            names.Add(Encoding.UTF8.GetString(frame));
        }

        return names;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1000;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
