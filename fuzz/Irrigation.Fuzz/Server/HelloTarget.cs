using Irrigation.Server.Auth;
using Irrigation.Server.Relay;

namespace Irrigation.Fuzz.Server;

/// <summary>
/// The relay's parse of a controller's first frame, <see cref="FrameValidator.ParseHello"/>. It must never throw,
/// allocate within <see cref="AllocationBound.ParseHello"/>, and give either a hello with a valid device id, a
/// token, a boot id, protocol 1 and valid zone names, or none with a reason.
/// </summary>
public static class HelloTarget
{
    /// <summary>Runs the checks on one frame as received.</summary>
    public static void Check(byte[] input)
    {
        // Measured on a second run, so one-time costs (type loading, first calls, pool warm-up) do not count.
        FrameValidator.ParseHello(input, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var hello = FrameValidator.ParseHello(input, out var error);
        AllocationBound.ParseHello.Check(GC.GetAllocatedBytesForCurrentThread() - before, input.Length);

        if (hello is null)
        {
            FuzzFailure.Unless(!string.IsNullOrEmpty(error), "a hello refused without a reason");
            return;
        }

        FuzzFailure.Unless(error.Length == 0, "an accepted hello with an error");
        FuzzFailure.Unless(Identifiers.IsValidId(hello.Device) && hello.Token.Length > 0, "a hello accepted without a valid device and a token");
        FuzzFailure.Unless(hello.Boot >= 0 && hello.Protocol == 1, "a hello accepted with a negative boot or another protocol");
        FuzzFailure.Unless(Array.TrueForAll(hello.Zones, Identifiers.IsValidZone), "a hello accepted with an invalid zone name");
        FuzzFailure.Unless(hello.Sensors is not null, "a hello accepted without its sensor list");
    }
}
