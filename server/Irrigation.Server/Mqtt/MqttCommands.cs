using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Irrigation.Server.Auth;
using Irrigation.Server.Relay;
using Irrigation.Server.Settings;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// Commands from MQTT: <c>BASE/DEVICE/zone/ZONE/set</c> with <c>OPEN</c> (irrigate for the default duration),
/// a number of seconds, or <c>CLOSE</c>; <c>BASE/DEVICE/rain_delay/set</c> with <c>ON</c> (a rain delay of
/// <see cref="RainDelay"/>) or <c>OFF</c> (cleared). They run through the dashboard's own paths as <c>Mqtt:User</c>:
/// valves through <see cref="CommandService"/>, the rain delay through <see cref="SettingsService"/> after the role
/// check the REST endpoint makes (owner or operator); all audited "via mqtt". Every command, good or bad, gets an
/// answer on the result topic and a log line. Nothing a publisher sends can throw out of here.
/// </summary>
public sealed class MqttCommands(
    CommandService commands,
    SettingsService settings,
    IAccountStore accounts,
    IAuditLog audit,
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

    /// <summary>How long the rain-delay switch's ON holds off automatic watering.</summary>
    public static readonly TimeSpan RainDelay = TimeSpan.FromHours(24);

    /// <summary>Runs one command and answers it.</summary>
    public async Task HandleAsync(IncomingMessage message)
    {
        var topic = message.Topic;
        if (topics.TryParseRainDelayCommand(topic, out var rainDevice))
        {
            await RainDelayAsync(message, rainDevice!);
            return;
        }

        topics.TryParseZoneCommand(topic, out var device, out var zone);
        var answer = new Answer(device is not null && state.IsBridged(device) ? topics.Result(device) : topics.BridgeResult, topic)
        {
            Device = device,
            Zone = zone,
            Payload = Printable(message.Payload),
        };
        if (device is null || zone is null)
        {
            Refuse(answer, "unknown_topic", $"'{topic}' is not a command topic: send OPEN, CLOSE or a number of seconds to {topics.ZoneCommand("DEVICE", "ZONE")}, or ON or OFF to {topics.RainDelayCommand("DEVICE")}");
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

    // ON / OFF on the rain-delay switch: a settings change of one key, as POST /api/devices/{id}/rain-delay makes it.
    private async Task RainDelayAsync(IncomingMessage message, string device)
    {
        var user = options.Value.User;
        var answer = new Answer(state.IsBridged(device) ? topics.Result(device) : topics.BridgeResult, message.Topic)
        {
            Device = device,
            Payload = Printable(message.Payload),
            Action = "rain_delay",
        };
        var text = Utf8.IsValid(message.Payload) ? Encoding.UTF8.GetString(message.Payload).Trim() : "";
        bool on;
        if (text.Equals("ON", StringComparison.OrdinalIgnoreCase))
        {
            on = true;
        }
        else if (text.Equals("OFF", StringComparison.OrdinalIgnoreCase))
        {
            on = false;
        }
        else
        {
            Refuse(answer, "bad_payload", $"'{answer.Payload}' is not a rain-delay command: send ON (no automatic watering for {RainDelay.TotalHours:0} hours) or OFF (clear it)");
            return;
        }

        answer.Until = on ? clock.GetUtcNow().Add(RainDelay).ToUnixTimeSeconds() : 0;
        try
        {
            var access = await accounts.FindDeviceAccessAsync(device, user);
            if (access is null)
            {
                Refuse(answer, "not_found", $"no device '{device}'");
                return;
            }

            // SettingsService saves for whoever calls it: the role check the REST endpoint makes is made here.
            if (access.Role < DeviceRole.Operator)
            {
                await audit.RecordAsync(new AuditEntry(clock.GetUtcNow().ToUnixTimeSeconds(), device, user, "rain-delay",
                    $"{SettingsService.RainDelayKey} {answer.Until} (via mqtt)", "forbidden"));
                Refuse(answer, "forbidden", $"'{user}' is a viewer of '{device}': only its owner and operators may set a rain delay");
                return;
            }

            var change = await settings.SetRainDelayAsync(user, device, access.Device.Zones, answer.Until.Value, "mqtt");
            if (!change.Saved)
            {
                Refuse(answer, change.Conflict ? "busy" : "bad_request", change.Conflict
                    ? "the settings kept changing meanwhile: send it again"
                    : string.Join("; ", change.Errors));
                return;
            }

            answer.Version = change.Version;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogError(e, "MQTT command {Topic} '{Payload}' failed", message.Topic, answer.Payload);
            Refuse(answer, "error", "the server could not run the command: " + e.Message);
            return;
        }

        log.LogInformation("MQTT command {Topic} '{Payload}': rain delay of {Device} {State} (settings version {Version})",
            message.Topic, answer.Payload, device, on ? "until " + answer.Until : "cleared", answer.Version);
        Send(answer, "saved", null);
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

            if (answer.Until is long until)
            {
                w.WriteNumber("until", until);
            }

            if (answer.Version is int version)
            {
                w.WriteNumber("version", version);
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

        public long? Until { get; set; }

        public int? Version { get; set; }

        public string? Id { get; set; }
    }
}
