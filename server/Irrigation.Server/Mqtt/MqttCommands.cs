using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Irrigation.Server.Relay;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// Commands from MQTT: <c>BASE/DEVICE/zone/ZONE/set</c> with <c>OPEN</c> (irrigate for the default duration),
/// a number of seconds, or <c>CLOSE</c>. They run through the dashboard's own <see cref="CommandService"/> as
/// <c>Mqtt:User</c> (role checked, audited "via mqtt"); every command, good or bad, gets an answer on the result
/// topic and a log line. Nothing a publisher sends can throw out of here.
/// </summary>
public sealed class MqttCommands(
    CommandService commands,
    MqttTopics topics,
    BridgeState state,
    RetainedOutbox outbox,
    MqttMetrics metrics,
    IOptions<MqttOptions> options,
    TimeProvider clock,
    ILogger<MqttCommands> log)
{
    /// <summary>Longest payload read (a number of seconds or a word).</summary>
    public const int MaxPayloadBytes = 64;

    /// <summary>Runs one command and answers it.</summary>
    public async Task HandleAsync(IncomingMessage message)
    {
        var topic = message.Topic;
        topics.TryParseZoneCommand(topic, out var device, out var zone);
        var answer = new Answer(device is not null && state.IsBridged(device) ? topics.Result(device) : topics.BridgeResult, topic)
        {
            Device = device,
            Zone = zone,
            Payload = Printable(message.Payload),
        };
        if (device is null || zone is null)
        {
            Refuse(answer, "unknown_topic", $"'{topic}' is not a command topic: send OPEN, CLOSE or a number of seconds to {topics.ZoneCommand("DEVICE", "ZONE")}");
            return;
        }

        if (!TryParse(message.Payload, out var open, out var seconds))
        {
            Refuse(answer, "bad_payload", $"'{answer.Payload}' is not a command: send OPEN, CLOSE or a number of seconds (1 to the device's maximum)");
            return;
        }

        answer.Action = open ? "irrigate" : "stop";
        if (open)
        {
            // OPEN runs for the configured duration, never past the device's own maximum.
            seconds ??= Math.Min(options.Value.OpenDurationSeconds, state.MaxDurationSeconds(device) ?? options.Value.OpenDurationSeconds);
            answer.Duration = seconds;
        }

        CommandOutcome outcome;
        try
        {
            outcome = open
                ? await commands.IrrigateAsync(options.Value.User, device, [zone], seconds, via: "mqtt")
                : await commands.StopAsync(options.Value.User, device, [zone], via: "mqtt");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogError(e, "MQTT command {Topic} '{Payload}' failed", topic, answer.Payload);
            Refuse(answer, "error", "the server could not run the command: " + e.Message);
            return;
        }

        answer.Id = outcome.Id;
        if (outcome.Status == CommandStatus.Sent)
        {
            log.LogInformation("MQTT command {Topic} '{Payload}': {Action} sent to {Device} as {Id}", topic, answer.Payload, answer.Action, device, outcome.Id);
            Send(answer, "sent", null);
            return;
        }

        Refuse(answer, StatusName(outcome.Status), outcome.Message ?? outcome.Status.ToString());
    }

    /// <summary>A command that could not even be queued (too many at once).</summary>
    public void Busy(IncomingMessage message)
    {
        topics.TryParseZoneCommand(message.Topic, out var device, out var zone);
        var answer = new Answer(device is not null && state.IsBridged(device) ? topics.Result(device) : topics.BridgeResult, message.Topic)
        {
            Device = device,
            Zone = zone,
            Payload = Printable(message.Payload),
        };
        Refuse(answer, "busy", "too many commands at once: send it again");
    }

    /// <summary>"OPEN" / "CLOSE" (any case) or a whole number of seconds (range checked by the command service).</summary>
    public static bool TryParse(byte[] payload, out bool open, out int? seconds)
    {
        (open, seconds) = (false, null);
        if (payload.Length is 0 or > MaxPayloadBytes || !Utf8.IsValid(payload))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(payload).Trim();
        if (text.Equals("OPEN", StringComparison.OrdinalIgnoreCase))
        {
            open = true;
            return true;
        }

        if (text.Equals("CLOSE", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s))
        {
            (open, seconds) = (true, s);
            return true;
        }

        return false;
    }

    private void Refuse(Answer answer, string status, string message)
    {
        log.LogWarning("MQTT command {Topic} '{Payload}' refused ({Status}): {Message}", answer.Topic, answer.Payload, status, message);
        Send(answer, status, message);
    }

    private void Send(Answer answer, string status, string? message)
    {
        metrics.Command(status);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("time", clock.GetUtcNow().ToUnixTimeSeconds());
            w.WriteString("topic", answer.Topic);
            w.WriteString("payload", answer.Payload);
            WriteIf(w, "device", answer.Device);
            WriteIf(w, "zone", answer.Zone);
            WriteIf(w, "action", answer.Action);
            if (answer.Duration is int duration)
            {
                w.WriteNumber("duration", duration);
            }

            w.WriteString("status", status);
            WriteIf(w, "id", answer.Id);
            WriteIf(w, "message", message);
            w.WriteEndObject();
        }

        outbox.Answer(answer.ResultTopic, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteIf(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    // Bad input is echoed in answers and logs: short, and without control characters.
    private static string Printable(byte[] payload)
    {
        var text = Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, MaxPayloadBytes));
        return new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }

    private static string StatusName(CommandStatus status) => status switch
    {
        CommandStatus.Sent => "sent",
        CommandStatus.NotFound => "not_found",
        CommandStatus.Forbidden => "forbidden",
        CommandStatus.BadRequest => "bad_request",
        CommandStatus.Offline => "offline",
        CommandStatus.Busy => "busy",
        _ => status.ToString().ToLowerInvariant(),
    };

    private sealed class Answer(string resultTopic, string topic)
    {
        public string ResultTopic { get; } = resultTopic;

        public string Topic { get; } = topic;

        public string? Device { get; init; }

        public string? Zone { get; init; }

        public string Payload { get; init; } = "";

        public string? Action { get; set; }

        public int? Duration { get; set; }

        public string? Id { get; set; }
    }
}
