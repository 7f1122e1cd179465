using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>A soil probe stand-in: a fixed raw value, an optional script of values, and failure injection.</summary>
public sealed class FakeSoilProbe : ISoilProbe
{
    public int Raw = 2400;
    public readonly Queue<int> Script = new();
    public int Reads;

    public int MaxRaw => 4095;

    public int ReadRaw()
    {
        Reads++;
        return Script.Count > 0 ? Script.Dequeue() : Raw;
    }
}
