using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Options;
using Irrigation.Server.Relay;

namespace Irrigation.Fuzz.Server;

/// <summary>
/// The relay's check of a controller's event frame: <see cref="FrameValidator.Validate"/>. It must never throw, allocate
/// within <see cref="AllocationBound.FrameValidator"/>, reject with one of the codes the validator owns and a message the
/// error frame can carry, and accept only frames whose text the relay can read back (it decodes the zones, ids and
/// names it stores).
/// </summary>
public static class FrameTarget
{
    private static readonly string[] RejectCodes = [ErrorCodes.BadJson, ErrorCodes.BadField, ErrorCodes.UnknownEvent];

    // The relay answers larger frames with too_large before the validator sees them.
    private static readonly int MaxFrameBytes = new RelayOptions().MaxFrameBytes;

    /// <summary>Runs the checks on one frame as received.</summary>
    public static void Check(byte[] input)
    {
        if (input.Length > MaxFrameBytes)
        {
            return;
        }

        // Measured on a second run, so one-time costs (type loading, first calls, pool warm-up) do not count.
        FrameValidator.Validate(input).Dispose();
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var check = FrameValidator.Validate(input))
        {
            AllocationBound.FrameValidator.Check(GC.GetAllocatedBytesForCurrentThread() - before, input.Length);
            if (check.Ok)
            {
                CheckAccepted(check);
            }
            else
            {
                FuzzFailure.Unless(Array.IndexOf(RejectCodes, check.ErrorCode) >= 0, $"rejected with '{check.ErrorCode}'");
                FuzzFailure.Unless(!string.IsNullOrEmpty(check.Message), "rejected without a message");
                using var reply = JsonDocument.Parse(ServerFrames.Error(check.ErrorCode!, check.Message!));
            }
        }
    }

    private static void CheckAccepted(in FrameCheck check)
    {
        FuzzFailure.Unless(check.Event is not null && EventNames.IsControllerEvent(check.Event), $"accepted the event '{check.Event}'");
        FuzzFailure.Unless(check.Seq > 0 && check.Time >= FrameValidator.MinTime, "accepted without seq > 0 and time >= 1");
        using var data = JsonDocument.Parse(check.RawData);
        FuzzFailure.Unless(data.RootElement.ValueKind == JsonValueKind.Object, "the data of an accepted frame is not an object");
        foreach (var field in data.RootElement.EnumerateObject())
        {
            ReadsBack(field.Value, field.Name);
        }
    }

    // The relay and the store read these fields of an accepted frame as .NET strings.
    private static void ReadsBack(JsonElement value, string field)
    {
        if (field is not ("zones" or "open_zones" or "zone" or "id" or "sensor" or "level" or "message" or "error" or "reason"))
        {
            return;
        }

        var strings = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : [value];
        foreach (var item in strings)
        {
            try
            {
                _ = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            }
            catch (InvalidOperationException e)
            {
                throw new FuzzFailure($"accepted a data.{field} the relay cannot read: {e.Message}");
            }
        }
    }
}
