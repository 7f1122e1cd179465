using Irrigation.Core;

namespace Irrigation.Server.Simulation;

/// <summary>
/// Starts and ends the water faults of one simulated controller. A configured fault (<c>Simulation:WaterFaults</c>)
/// starts as soon as the field is in a state where the core can tell it, and stays: a burst pipe once the controller
/// has learned the zone's usual flow (without that, more flow is not "more than usual"), a closed supply between two
/// runs once the meter has counted water (a meter that never counted is blamed itself), a stuck valve or a slow leak
/// at once. Now and then (<c>Simulation:WaterFaultChancePerHour</c>) one fault starts by chance and is repaired some
/// minutes later, as a technician would; the leak lock it may cause stays until a person clears it.
/// </summary>
public sealed class WaterFaultDriver
{
    private static readonly TimeSpan ShortestRepair = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LongestRepair = TimeSpan.FromMinutes(15);

    private readonly string _deviceId;
    private readonly WaterModel _water;
    private readonly Controller _controller;
    private readonly string[] _zones;
    private readonly List<(WaterFaultKind Kind, int Zone)> _waiting = [];
    private readonly double _chancePerHour;
    private readonly Random _random;
    private readonly Action<string> _console;
    private (WaterFaultKind Kind, int Zone, double RepairAt)? _byChance;
    private double _seconds;

    /// <param name="deviceId">The controller's name, for console lines.</param>
    /// <param name="water">The field's water, where faults go.</param>
    /// <param name="controller">The core, whose learned flows say when a burst pipe can be told.</param>
    /// <param name="zones">The controller's zones; a zone fault without a zone goes to the first.</param>
    /// <param name="configured">This controller's faults from <c>Simulation:WaterFaults</c> (checked already).</param>
    /// <param name="chancePerHour">Chance per real hour that a fault starts by chance (0: never).</param>
    public WaterFaultDriver(string deviceId, WaterModel water, Controller controller, string[] zones, IEnumerable<WaterFault> configured,
        double chancePerHour, Random random, Action<string> console)
    {
        _deviceId = deviceId;
        _water = water;
        _controller = controller;
        _zones = zones;
        _chancePerHour = chancePerHour;
        _random = random;
        _console = console;
        foreach (var fault in configured)
        {
            _waiting.Add((fault.Kind, fault.Zone is null ? 0 : Math.Max(0, Array.IndexOf(zones, fault.Zone))));
        }
    }

    /// <summary>Configured faults still waiting for the field to be ready for them.</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>Once a tick, after <paramref name="realSeconds"/> passed.</summary>
    public void Step(double realSeconds)
    {
        _seconds += realSeconds;
        for (int i = _waiting.Count - 1; i >= 0; i--)
        {
            var (kind, zone) = _waiting[i];
            if (CanShow(kind, zone))
            {
                _waiting.RemoveAt(i);
                Start(kind, zone, "configured");
            }
        }

        if (_byChance is { } current)
        {
            if (_seconds >= current.RepairAt)
            {
                _byChance = null;
                _water.Repair(current.Kind);
                _console($"{_deviceId,-8} {Where(current.Kind, current.Zone)} repaired (simulated)");
            }

            return;
        }

        if (_chancePerHour > 0 && _random.NextDouble() < _chancePerHour * realSeconds / 3600)
        {
            StartByChance();
        }
    }

    private void StartByChance()
    {
        var candidates = new List<(WaterFaultKind, int)>();
        foreach (var kind in Enum.GetValues<WaterFaultKind>())
        {
            if (_water.Has(kind) || _waiting.Any(w => w.Kind == kind))
            {
                continue;
            }

            for (int zone = 0; zone < (WaterFault.IsZoneFault(kind) ? _zones.Length : 1); zone++)
            {
                if (CanShow(kind, zone))
                {
                    candidates.Add((kind, zone));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return;
        }

        var (chosen, where) = candidates[_random.Next(candidates.Count)];
        double repairAfter = ShortestRepair.TotalSeconds + _random.NextDouble() * (LongestRepair - ShortestRepair).TotalSeconds;
        _byChance = (chosen, where, _seconds + repairAfter);
        Start(chosen, where, $"by chance, repaired in {repairAfter / 60:0} min");
    }

    private bool CanShow(WaterFaultKind kind, int zone) => kind switch
    {
        WaterFaultKind.BurstPipe => _controller.IsMetering && _controller.FlowBaseline(zone) > 0,
        WaterFaultKind.ClosedSupply => _water.Pulses > 0 && _controller.OpenZoneCount == 0 && !_water.MasterOpen,
        _ => true,
    };

    private void Start(WaterFaultKind kind, int zone, string why)
    {
        _water.Apply(kind, zone);
        _console($"{_deviceId,-8} {Where(kind, zone)} (simulated, {why})");
    }

    private string Where(WaterFaultKind kind, int zone) =>
        WaterFault.IsZoneFault(kind) ? $"{WaterFaultList.Words(kind)} in {_zones[zone]}" : $"{WaterFaultList.Words(kind)} on the main line";
}
