using Irrigation.Core.Water;

namespace Irrigation.Server.Simulation;

/// <summary>
/// The water side of one simulated field, and the hall-effect meter on its main line:
/// supply → master valve → meter → one valve per zone → sprinklers. Each zone has its own usual flow, which wanders a
/// few percent as the pressure does; the faults of <see cref="WaterFaultKind"/> change what flows. Water flows in
/// real time (the controller measures litres per real minute), unlike the weather and soil of
/// <see cref="FieldModel"/>, which run at the time scale. The meter counts floor(litres × pulses per litre), like a
/// YF-S201 whose pulses the ESP32's counter keeps. Driven from the simulator's tick thread only.
/// </summary>
public sealed class WaterModel : IPulseCounter
{
    /// <summary>The meter's pulses per litre (a YF-S201 gives about 450); the simulated settings say the same.</summary>
    public const int PulsesPerLitre = 450;

    /// <summary>A burst pipe lets this many times the zone's usual flow through.</summary>
    public const double BurstFactor = 3;

    /// <summary>The slow leak behind the master valve, L/min.</summary>
    public const double SlowLeakLitresPerMinute = 2;

    // The pressure wanders (±6 % at most) and returns to normal within about half a minute.
    private const double PressureSpread = 0.06;
    private const double PressureSettleSeconds = 30;

    private readonly Random _random;
    private readonly double[] _usual;
    private readonly bool[] _valveOpen;
    private readonly double[] _watering;
    private double _pressure;
    private double _litres;

    /// <summary>A field whose zones flow <paramref name="usualLitresPerMinute"/> each (L/min) with their valves open.</summary>
    public WaterModel(double[] usualLitresPerMinute, Random random)
    {
        _random = random;
        _usual = (double[])usualLitresPerMinute.Clone();
        _valveOpen = new bool[_usual.Length];
        _watering = new double[_usual.Length];
        ZoneLitres = new double[_usual.Length];
        BurstZone = -1;
        StuckZone = -1;
    }

    /// <summary>Zones of the field.</summary>
    public int ZoneCount => _usual.Length;

    /// <summary>A zone's usual flow with its valve open, L/min.</summary>
    public double UsualLitresPerMinute(int zone) => _usual[zone];

    /// <summary>True while the master valve lets water onto the line.</summary>
    public bool MasterOpen { get; set; }

    /// <summary>The supply in front of the master valve is shut (<see cref="WaterFaultKind.ClosedSupply"/>).</summary>
    public bool SupplyClosed { get; set; }

    /// <summary>The zone whose pipe is broken (<see cref="WaterFaultKind.BurstPipe"/>), or -1.</summary>
    public int BurstZone { get; set; }

    /// <summary>The zone whose valve does not close (<see cref="WaterFaultKind.StuckValve"/>), or -1.</summary>
    public int StuckZone { get; set; }

    /// <summary>A leak behind the master valve, L/min (<see cref="WaterFaultKind.SlowLeak"/>).</summary>
    public double LeakLitresPerMinute { get; set; }

    /// <summary>The line's flow over the last <see cref="Advance"/>, L/min.</summary>
    public double FlowLitresPerMinute { get; private set; }

    /// <summary>Litres that went through each zone's valve so far (the truth a test compares the ledger with).</summary>
    public double[] ZoneLitres { get; }

    /// <summary>Litres that went through the meter with every zone valve closed (leaks and stuck valves aside, none).</summary>
    public double IdleLitres { get; private set; }

    /// <summary>Pulses the meter counted so far.</summary>
    public long Pulses { get; private set; }

    /// <summary>Reads the meter's running count (never fails: the simulated counter has no cable to lose).</summary>
    public long ReadPulses() => Pulses;

    /// <summary>Where the controller wants a zone's valve (a stuck valve stays open whatever it wants).</summary>
    public void SetValve(int zone, bool open) => _valveOpen[zone] = open;

    /// <summary>True when the controller has a zone's valve open.</summary>
    public bool IsValveOpen(int zone) => _valveOpen[zone];

    /// <summary>
    /// How much of a full sprinkler run reached the zone's soil during the last <see cref="Advance"/>, 0 (none) … 1
    /// (its usual flow or more): what the soil of <see cref="FieldModel"/> is wetted by.
    /// </summary>
    public double Watering(int zone) => _watering[zone];

    /// <summary>Puts a fault into the field (<paramref name="zone"/> for a zone's fault, else ignored).</summary>
    public void Apply(WaterFaultKind kind, int zone) => Set(kind, zone, true);

    /// <summary>Repairs a fault.</summary>
    public void Repair(WaterFaultKind kind) => Set(kind, -1, false);

    /// <summary>True while the field has the fault.</summary>
    public bool Has(WaterFaultKind kind) => kind switch
    {
        WaterFaultKind.BurstPipe => BurstZone >= 0,
        WaterFaultKind.StuckValve => StuckZone >= 0,
        WaterFaultKind.ClosedSupply => SupplyClosed,
        _ => LeakLitresPerMinute > 0,
    };

    /// <summary>Lets the water flow for <paramref name="realSeconds"/> with the valves as they are.</summary>
    public void Advance(double realSeconds)
    {
        if (realSeconds <= 0)
        {
            return;
        }

        _pressure += -_pressure * Math.Min(1, realSeconds / PressureSettleSeconds) + (_random.NextDouble() * 2 - 1) * PressureSpread * Math.Sqrt(realSeconds / PressureSettleSeconds);
        _pressure = Math.Clamp(_pressure, -PressureSpread, PressureSpread);
        bool lineUp = MasterOpen && !SupplyClosed;
        double flow = lineUp ? LeakLitresPerMinute : 0;
        bool anyValve = false;
        for (int zone = 0; zone < _usual.Length; zone++)
        {
            bool open = lineUp && (_valveOpen[zone] || zone == StuckZone);
            double zoneFlow = open ? _usual[zone] * (zone == BurstZone ? BurstFactor : 1) * (1 + _pressure) : 0;
            _watering[zone] = open ? Math.Min(1, zoneFlow / _usual[zone]) : 0;
            ZoneLitres[zone] += zoneFlow * realSeconds / 60;
            flow += zoneFlow;
            anyValve |= open;
        }

        FlowLitresPerMinute = flow;
        double litres = flow * realSeconds / 60;
        if (!anyValve)
        {
            IdleLitres += litres;
        }

        _litres += litres;
        Pulses = (long)Math.Floor(_litres * PulsesPerLitre);
    }

    private void Set(WaterFaultKind kind, int zone, bool on)
    {
        switch (kind)
        {
            case WaterFaultKind.BurstPipe:
                BurstZone = on ? zone : -1;
                break;
            case WaterFaultKind.StuckValve:
                StuckZone = on ? zone : -1;
                break;
            case WaterFaultKind.ClosedSupply:
                SupplyClosed = on;
                break;
            default:
                LeakLitresPerMinute = on ? SlowLeakLitresPerMinute : 0;
                break;
        }
    }
}
