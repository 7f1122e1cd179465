namespace Irrigation.Server.Simulation;

/// <summary>
/// The setting <c>Simulation:WaterFaults</c>: faults to put into simulated fields on purpose, as a comma-separated
/// list of <c>DEVICE[/ZONE]=FAULT</c>, e.g. <c>sim-02=slow_leak,sim-01/zone2=burst_pipe</c>. FAULT is burst_pipe or
/// stuck_valve (a zone's; without a zone, the device's first) or closed_supply or slow_leak (the main line's, no zone).
/// Every mistake is reported with the item it is in and what to write instead.
/// </summary>
public static class WaterFaultList
{
    /// <summary>The setting's key, for messages.</summary>
    public const string Key = SimulationOptions.Section + ":WaterFaults";

    private static readonly (WaterFaultKind Kind, string Name)[] Names =
    [
        (WaterFaultKind.BurstPipe, "burst_pipe"),
        (WaterFaultKind.StuckValve, "stuck_valve"),
        (WaterFaultKind.ClosedSupply, "closed_supply"),
        (WaterFaultKind.SlowLeak, "slow_leak"),
    ];

    /// <summary>The fault's name in the setting (burst_pipe …).</summary>
    public static string Name(WaterFaultKind kind) => Names.First(n => n.Kind == kind).Name;

    /// <summary>The fault's name in words for console lines (burst pipe …).</summary>
    public static string Words(WaterFaultKind kind) => Name(kind).Replace('_', ' ');

    /// <summary>
    /// Reads the setting; empty or blank means no fault. Returns the faults in the order written, or null with
    /// <paramref name="error"/> saying what is wrong.
    /// </summary>
    public static IReadOnlyList<WaterFault>? Parse(string? text, out string error)
    {
        error = "";
        var faults = new List<WaterFault>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return faults;
        }

        foreach (var raw in text.Split(','))
        {
            var item = raw.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            int eq = item.IndexOf('=');
            if (eq < 0)
            {
                error = $"{Key}: '{item}' names no fault; write DEVICE[/ZONE]=FAULT, e.g. sim-02=slow_leak ({KindList()})";
                return null;
            }

            var target = item[..eq].Trim();
            var kindText = item[(eq + 1)..].Trim();
            int slash = target.IndexOf('/');
            var device = (slash < 0 ? target : target[..slash]).Trim();
            var zone = slash < 0 ? null : target[(slash + 1)..].Trim();
            var found = Names.Where(n => n.Name.Equals(kindText, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (found.Length == 0)
            {
                error = $"{Key}: unknown fault '{kindText}' in '{item}'; use {KindList()}";
                return null;
            }

            var kind = found[0].Kind;
            if (device.Length == 0 || zone is { Length: 0 })
            {
                error = $"{Key}: '{item}' needs a device{(zone is { Length: 0 } ? " and, after the /, a zone" : "")}, e.g. sim-01/zone1={Name(kind)}";
                return null;
            }

            if (zone is not null && !WaterFault.IsZoneFault(kind))
            {
                error = $"{Key}: {Name(kind)} is a fault of the main line, not of a zone: write {device}={Name(kind)}";
                return null;
            }

            var fault = new WaterFault(device, zone, kind);
            if (faults.Any(f => f.Device == device && f.Kind == kind))
            {
                error = $"{Key}: {device} has {Name(kind)} twice; name each fault of a device once";
                return null;
            }

            faults.Add(fault);
        }

        return faults;
    }

    /// <summary>
    /// Null when every fault names one of <paramref name="devices"/> and, when it names a zone, one of that device's
    /// zones; otherwise what is wrong.
    /// </summary>
    public static string? Check(IReadOnlyList<WaterFault> faults, IReadOnlyList<SimulatedDevice> devices)
    {
        foreach (var fault in faults)
        {
            var device = devices.FirstOrDefault(d => d.DeviceId == fault.Device);
            if (device is null)
            {
                var names = devices.Count <= 6 ? string.Join(", ", devices.Select(d => d.DeviceId)) : $"{devices[0].DeviceId} … {devices[^1].DeviceId}";
                return $"{Key}: '{fault}' names {fault.Device}, which is not simulated here (the simulated controllers are {names})";
            }

            if (fault.Zone is not null && Array.IndexOf(device.Zones, fault.Zone) < 0)
            {
                return $"{Key}: '{fault}': {device.DeviceId} has no zone '{fault.Zone}' (its zones: {string.Join(", ", device.Zones)})";
            }
        }

        return null;
    }

    /// <summary>
    /// Null when <paramref name="text"/> (the setting) is well written and names only <paramref name="devices"/> and
    /// their zones; otherwise what is wrong and what to write.
    /// </summary>
    public static string? Validate(string? text, IReadOnlyList<SimulatedDevice> devices) =>
        Parse(text, out var error) is { } faults ? Check(faults, devices) : error;

    private static string KindList() => string.Join(", ", Names.Select(n => n.Name));
}
