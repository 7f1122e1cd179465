using Irrigation.Core.Link;

namespace Irrigation.Core.Tests.Link;

public class EventBufferTests
{
    private static void Add(EventBuffer b, EventKind kind, int seq, string? text = null) =>
        b.Add(kind, seq, seq, seq * 10, 0, 0, 0, 0, text);

    [Fact]
    public void AckThrough_Cumulative_RemovesFrontOnly()
    {
        var b = new EventBuffer(8, 4);
        for (int s = 1; s <= 5; s++)
        {
            Add(b, EventKind.Temperature, s);
        }

        Assert.Equal(3, b.AckThrough(3));
        Assert.Equal(2, b.Count);
        Assert.Equal(4, b.SeqAt(0));
        Assert.Equal(40, b.ValueAt(0, 0));
        Assert.Equal(0, b.AckThrough(2));
    }

    [Fact]
    public void Add_Full_DropsOldestTelemetryKeepsIrrigation()
    {
        var b = new EventBuffer(4, 4);
        Add(b, EventKind.IrrigationStarted, 1);
        Add(b, EventKind.Temperature, 2);
        Add(b, EventKind.SensorDisconnected, 3);
        Add(b, EventKind.Humidity, 4);

        Add(b, EventKind.IrrigationStopped, 5);
        Add(b, EventKind.Status, 6);

        Assert.Equal(new[] { 1, 3, 5, 6 }, Enumerable.Range(0, b.Count).Select(b.SeqAt));
        Assert.Equal(2, b.DroppedCount);
    }

    [Fact]
    public void Add_FullOfImportantEvents_DropsOldestThen()
    {
        var b = new EventBuffer(3, 4);
        Add(b, EventKind.IrrigationStarted, 1);
        Add(b, EventKind.IrrigationStopped, 2);
        Add(b, EventKind.CommandResult, 3);
        Add(b, EventKind.SensorReconnected, 4);

        Assert.Equal(new[] { 2, 3, 4 }, Enumerable.Range(0, b.Count).Select(b.SeqAt));
        Assert.Equal(1, b.DroppedCount);
    }

    [Fact]
    public void Add_Full_PrefersUnsentTelemetryOverInFlight()
    {
        var b = new EventBuffer(3, 4);
        Add(b, EventKind.Temperature, 1);
        Add(b, EventKind.Temperature, 2);
        Add(b, EventKind.Temperature, 3);
        b.MarkSent();

        Add(b, EventKind.Humidity, 4);

        Assert.Equal(new[] { 1, 3, 4 }, Enumerable.Range(0, b.Count).Select(b.SeqAt));
        Assert.Equal(1, b.SentCount);
    }

    [Fact]
    public void Add_WrapsAround_KeepsOrderAndValues()
    {
        var b = new EventBuffer(4, 4);
        for (int s = 1; s <= 50; s++)
        {
            Add(b, s % 3 == 0 ? EventKind.IrrigationStarted : EventKind.Temperature, s);
            if (s % 2 == 0)
            {
                b.AckThrough(s - 1);
            }

            Assert.InRange(b.Count, 1, 4);
            for (int i = 1; i < b.Count; i++)
            {
                Assert.True(b.SeqAt(i) > b.SeqAt(i - 1));
                Assert.Equal(b.SeqAt(i) * 10, b.ValueAt(i, 0));
            }
        }
    }

    [Fact]
    public void Add_TextSlotsFull_OldestLogMakesRoom()
    {
        var b = new EventBuffer(16, 2);
        Add(b, EventKind.Log, 1, "a");
        Add(b, EventKind.CommandResult, 2, "c-1");
        Add(b, EventKind.Log, 3, "b");

        Assert.Equal(new[] { 2, 3 }, Enumerable.Range(0, b.Count).Select(b.SeqAt));
        Assert.Equal("c-1", b.TextAt(0));
        Assert.Equal("b", b.TextAt(1));
        Assert.Equal(2, b.TextCount);
        Assert.Equal(1, b.DroppedCount);
    }

    [Fact]
    public void Add_TextSlotsFullOfCommands_NewLogDropped()
    {
        var b = new EventBuffer(16, 2);
        Add(b, EventKind.CommandResult, 1, "c-1");
        Add(b, EventKind.CommandResult, 2, "c-2");

        Assert.False(b.Add(EventKind.Log, 3, 3, 2, 0, 0, 0, 0, "w"));
        Assert.Equal(2, b.Count);
        Assert.Equal(1, b.DroppedCount);
    }

    [Fact]
    public void ResetSent_AfterSending_EverythingUnsentAgain()
    {
        var b = new EventBuffer(8, 2);
        Add(b, EventKind.Temperature, 1);
        Add(b, EventKind.Temperature, 2);
        b.MarkSent();
        b.MarkSent();
        b.MarkSent();
        Assert.Equal(2, b.SentCount);

        b.AckThrough(1);
        Assert.Equal(1, b.SentCount);
        b.ResetSent();
        Assert.Equal(0, b.SentCount);
    }
}
