using Irrigation.Core.Water;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>
/// The water side of a field, and the pulse counter on its main line: each open zone valve lets its flow through
/// (when the master valve, if there is one, is open too), a leak downstream of the master flows whenever the master
/// is open, and the meter turns the litres into pulses (floor of litres × pulses per litre), like a hall-effect meter
/// whose count the ESP32's PCNT keeps. <see cref="Advance"/> moves the water on to a moment (call it before each
/// controller tick); the pulses of each interval are booked to the zone whose valve was open, so the test knows the
/// truth the controller has to measure.
/// </summary>
public sealed class FieldWater : IPulseCounter
{
    private readonly FakeValve[] _valves;
    private readonly FakeValve? _master;
    private double _litres;
    private long _pulses;
    private long _lastMs;

    public FieldWater(FakeValve[] valves, FakeValve? master, double[] zoneLitresPerMinute, int pulsesPerLitre = 450)
    {
        _valves = valves;
        _master = master;
        ZoneLitresPerMinute = zoneLitresPerMinute;
        PulsesPerLitre = pulsesPerLitre;
        PulsesByZone = new long[valves.Length];
    }

    /// <summary>The meter's pulses per litre (what the settings should say).</summary>
    public int PulsesPerLitre { get; }

    /// <summary>Each zone's flow with its valve open, L/min (change it to burst a pipe or close the supply).</summary>
    public double[] ZoneLitresPerMinute { get; }

    /// <summary>A leak between the master valve and the zones, L/min.</summary>
    public double LeakLitresPerMinute { get; set; }

    /// <summary>The meter's cable is cut: water flows, no pulse is counted.</summary>
    public bool Unplugged { get; set; }

    /// <summary>Reads fail (the counter throws).</summary>
    public bool Failing { get; set; }

    /// <summary>Pulses that flowed through each zone's open valve.</summary>
    public long[] PulsesByZone { get; }

    /// <summary>Pulses that flowed with every zone valve closed (the leak).</summary>
    public long IdlePulses { get; private set; }

    /// <summary>Pulses the counter shows.</summary>
    public long Count { get; private set; }

    public long ReadPulses() => Failing ? throw new IOException("counter not readable") : Count;

    /// <summary>Lets the water flow from the last call to <paramref name="nowMs"/> with the valves as they are.</summary>
    public void Advance(long nowMs)
    {
        long dt = nowMs - _lastMs;
        _lastMs = nowMs;
        bool lineOpen = _master is null || _master.IsOpen;
        if (dt <= 0 || !lineOpen)
        {
            return;
        }

        double flow = LeakLitresPerMinute;
        int open = -1;
        for (int z = 0; z < _valves.Length; z++)
        {
            if (_valves[z].IsOpen)
            {
                flow += ZoneLitresPerMinute[z];
                open = open == -1 ? z : -2;
            }
        }

        _litres += flow * dt / 60000.0;
        long pulses = (long)Math.Floor(_litres * PulsesPerLitre);
        long delta = pulses - _pulses;
        _pulses = pulses;
        if (open >= 0)
        {
            PulsesByZone[open] += delta;
        }
        else if (open == -1)
        {
            IdlePulses += delta;
        }

        Count += Unplugged ? 0 : delta;
    }
}
