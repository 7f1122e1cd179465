using Irrigation.Server.Options;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Simulation;

/// <summary>
/// Checks the <c>Simulation</c> settings when the server starts, so that a mistake in them stops it at once with what
/// to fix instead of a demo without its faults: the water faults must be well written and, with <c>--simulate N</c>,
/// name only sim-01 … sim-N and their zones; the fault chance must be a number of 0 or more. The stand-alone
/// <c>simulate</c> command makes the same checks against its own devices (<see cref="Check"/>).
/// </summary>
public sealed class SimulationOptionsValidator(IOptions<RelayOptions> relay) : IValidateOptions<SimulationOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulationOptions options)
    {
        var count = relay.Value.SimulateCount;
        var zones = SimulationHost.ZonesOf(options);
        var devices = count > 0 ? SimulationHost.DeviceIds(count).Select(id => new SimulatedDevice(id, "", zones)).ToList() : null;
        var errors = Check(options, devices);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// What is wrong with <paramref name="options"/>, each with what to write instead (empty: nothing). The water
    /// faults must name <paramref name="devices"/> and their zones; without devices (nothing simulated) only how they
    /// are written is checked.
    /// </summary>
    public static List<string> Check(SimulationOptions options, IReadOnlyList<SimulatedDevice>? devices)
    {
        var errors = new List<string>();
        if (!double.IsFinite(options.WaterFaultChancePerHour) || options.WaterFaultChancePerHour < 0)
        {
            errors.Add($"{SimulationOptions.Section}:WaterFaultChancePerHour is {options.WaterFaultChancePerHour}: give a chance per hour of 0 (never) or more");
        }

        var faultError = devices is not null
            ? WaterFaultList.Validate(options.WaterFaults, devices)
            : WaterFaultList.Parse(options.WaterFaults, out var syntax) is null ? syntax : null;
        if (faultError is not null)
        {
            errors.Add(faultError);
        }

        return errors;
    }
}
