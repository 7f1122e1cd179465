using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>A DHT stand-in: returns <see cref="Next"/> (or a queued sample) and counts reads.</summary>
public sealed class FakeClimate : IClimateSensor
{
    public ClimateSample Next = new(true, 223, 455);
    public readonly Queue<ClimateSample> Queued = new();
    public int Reads;
    public long LastReadAtMs = -1;
    public Func<long>? Clock;
    public long MinGapMs = long.MaxValue;

    public ClimateSample Read()
    {
        Reads++;
        if (Clock != null)
        {
            long now = Clock();
            if (LastReadAtMs >= 0)
            {
                MinGapMs = Math.Min(MinGapMs, now - LastReadAtMs);
            }

            LastReadAtMs = now;
        }

        return Queued.Count > 0 ? Queued.Dequeue() : Next;
    }
}
