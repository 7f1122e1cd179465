using System.Text;
using Irrigation.Core.Config;

namespace Irrigation.Fuzz.Core;

/// <summary>
/// The core's <see cref="ControllerConfigReader"/> (the config file a board boots from). It must never throw, allocate
/// within <see cref="AllocationBound.ControllerConfigReader"/>, give either a config that passes its own validation
/// or none with at least one error (never half a config), say something in every message, and read the same text the
/// same way twice.
/// </summary>
public static class ConfigReaderTarget
{
    /// <summary>Runs the checks on one input (UTF-8 bytes, decoded as the firmware reads the file).</summary>
    public static void Check(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var first = ControllerConfigReader.Read(text, "fuzz", 7);

        // Measured on the second read, so one-time costs (type loading, first calls) do not count.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ControllerConfigReader.Read(text, "fuzz", 7);
        AllocationBound.ControllerConfigReader.Check(GC.GetAllocatedBytesForCurrentThread() - before, text.Length);

        FuzzFailure.Unless(result.IsValid == (result.Config is not null), "IsValid and Config disagree");
        FuzzFailure.Unless(result.IsValid == (result.Errors.Length == 0), "IsValid and Errors disagree");
        FuzzFailure.Unless(Array.TrueForAll(result.Errors, e => !string.IsNullOrEmpty(e)), "an empty error message");
        FuzzFailure.Unless(Array.TrueForAll(result.Warnings, w => !string.IsNullOrEmpty(w)), "an empty warning");
        if (result.Config is { } config)
        {
            FuzzFailure.Unless(config.Validate().Length == 0, "an accepted config fails its own validation");
            FuzzFailure.Unless(config.FirmwareVersion == "fuzz" && config.BootId == 7, "the firmware version or boot id was not kept");
        }

        FuzzFailure.Unless(string.Join("\n", first.Errors) == string.Join("\n", result.Errors), "the same text read twice gave other errors");
    }
}
