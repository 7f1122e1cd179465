using System.Text;
using Irrigation.Core.Protocol;

namespace Irrigation.Fuzz.Core;

/// <summary>
/// The core's <see cref="ServerMessageParser"/> (every frame a controller receives). It must never throw, allocate
/// within <see cref="AllocationBound.ServerMessageParser"/>, reject with one of the contract's codes and a reason,
/// accept only messages that carry what their event needs, and give the same answer from a parser that has just
/// parsed other frames as from a fresh one (the firmware reuses one parser for its whole uptime).
/// </summary>
public static class ServerMessageTarget
{
    // One parser and message for every input (per thread: the property tests run on several), as on the firmware.
    [ThreadStatic]
    private static ServerMessageParser? t_parser;
    [ThreadStatic]
    private static ServerMessage? t_message;
    private static readonly string[] RejectCodes = [ErrorCodes.BadJson, ErrorCodes.BadField, ErrorCodes.UnknownEvent, ErrorCodes.TooLarge];

    /// <summary>Runs the checks on one input (UTF-8 bytes, decoded as the firmware's transport would).</summary>
    public static void Check(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var fresh = new ServerMessage();
        new ServerMessageParser().Parse(text, fresh);

        // Measured on the second parse, so one-time costs (type loading, first calls) do not count.
        var reused = t_parser ??= new ServerMessageParser();
        var message = t_message ??= new ServerMessage();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var valid = reused.Parse(text, message);
        AllocationBound.ServerMessageParser.Check(GC.GetAllocatedBytesForCurrentThread() - before, text.Length);

        FuzzFailure.Unless(Describe(fresh) == Describe(message), $"a reused parser read {Describe(message)}, a fresh one {Describe(fresh)}");
        FuzzFailure.Unless(valid == message.IsValid, "Parse() and IsValid disagree");
        if (valid)
        {
            CheckAccepted(message);
        }
        else
        {
            FuzzFailure.Unless(Array.IndexOf(RejectCodes, message.RejectCode) >= 0, $"rejected with '{message.RejectCode}', not a contract code");
            FuzzFailure.Unless(!string.IsNullOrEmpty(message.RejectReason), "rejected without a reason");
        }
    }

    private static void CheckAccepted(ServerMessage m)
    {
        FuzzFailure.Unless(m.RejectCode is null && m.RejectReason is null, "an accepted message with a reject code");
        switch (m.Event)
        {
            case EventNames.Welcome:
                FuzzFailure.Unless(m.TimeUnixSeconds > 0 && m.ResumeSeq >= 0, "welcome accepted without time > 0 and resume >= 0");
                break;
            case EventNames.Ack:
                FuzzFailure.Unless(m.AckSeq >= 0, "ack accepted with a negative seq");
                break;
            case EventNames.Irrigate:
                FuzzFailure.Unless((m.DurationSeconds > 0 || m.Litres > 0) && m.DurationSeconds >= 0 && m.Litres >= 0 && m.Zones is { Length: > 0 },
                    "irrigate accepted without zones and a duration > 0 or litres > 0");
                CheckCommand(m);
                break;
            case EventNames.ClearLeak:
                FuzzFailure.Unless(!string.IsNullOrEmpty(m.CommandId), "clear_leak accepted without an id");
                break;
            case EventNames.Stop:
                FuzzFailure.Unless(m.Zones is not null, "stop accepted without zones");
                CheckCommand(m);
                break;
            case EventNames.Error:
                FuzzFailure.Unless(m.ErrorCode is not null, "error accepted without a code");
                break;
            case EventNames.Settings:
                FuzzFailure.Unless(m.SettingsVersion > 0 && m.SettingsText is { Length: > 0 } && m.SettingsText[0] == '{',
                    "settings accepted without a version > 0 and a settings object");
                FuzzFailure.Unless(Math.Abs(m.UtcOffsetSeconds) <= ServerMessageParser.MaxUtcOffsetSeconds, "settings accepted with an offset beyond 14 h");
                break;
            default:
                throw new FuzzFailure($"accepted an unknown event '{m.Event}'");
        }
    }

    private static void CheckCommand(ServerMessage m)
    {
        FuzzFailure.Unless(!string.IsNullOrEmpty(m.CommandId), "a command accepted without an id");
        FuzzFailure.Unless(m.Zones!.Length <= ServerMessageParser.MaxZones, $"a command accepted with {m.Zones.Length} zones");
        FuzzFailure.Unless(Array.TrueForAll(m.Zones, z => !string.IsNullOrEmpty(z)), "a command accepted with an empty zone name");
    }

    private static string Describe(ServerMessage m) =>
        $"{m.IsValid}|{m.RejectCode}|{m.RejectReason}|{m.Event}|{m.TimeUnixSeconds}|{m.ResumeSeq}|{m.AckSeq}|{m.CommandId}|"
        + $"{(m.Zones is null ? "-" : string.Join(",", m.Zones))}|{m.DurationSeconds}|{m.Litres}|{m.ErrorCode}|{m.ErrorMessage}|"
        + $"{m.HasUtcOffset}|{m.UtcOffsetSeconds}|{m.SettingsVersion}|{m.SettingsText}";
}
