using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Observability;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// Sends irrigate, stop and clear_leak to the controller, on whichever instance it is connected, with an id "c-N" (N
/// is shared by every instance and keeps counting across restarts), records the command in the history and shows it
/// to the dashboards. Every request, sent or refused, is in the audit trail.
/// </summary>
public sealed class CommandService(
    IAccountStore accounts,
    IEventStore events,
    IAuditLog audit,
    DeviceHubs hubs,
    IRelayBackplane backplane,
    IngestPipeline pipeline,
    RelayMetrics metrics,
    TimeProvider clock)
{
    /// <summary>The largest volume one irrigate may ask for, tenths of a litre (what the controller counts in an int).</summary>
    public const long MaxLitres = int.MaxValue;

    /// <summary>
    /// Opens <paramref name="zones"/> for <paramref name="durationSeconds"/> (1…the device's maximum) and/or until each
    /// was given <paramref name="litres"/> (tenths of a litre, above 0; the lease then caps the time), for a user who
    /// is the device's owner or operator; <paramref name="via"/> names the path for the audit trail ("mqtt").
    /// </summary>
    public async Task<CommandOutcome> IrrigateAsync(
        string userId, string deviceId, IReadOnlyList<string>? zones, int? durationSeconds, long? litres = null, string? via = null)
    {
        var detail = $"zones {string.Join(",", zones ?? [])}"
            + (durationSeconds is null && litres is not null ? "" : $" for {durationSeconds} s")
            + (litres is long l ? $", {(l / 10m).ToString("0.0", CultureInfo.InvariantCulture)} L" : "");
        var (hub, error) = await FindAsync(userId, deviceId, EventNames.Irrigate, detail, via);
        if (hub is null)
        {
            return error!;
        }

        CommandOutcome outcome;
        if (zones is null || zones.Count == 0)
        {
            outcome = new CommandOutcome(CommandStatus.BadRequest, Message: "zones must name at least one zone");
        }
        else if (CheckZones(hub, zones) is { } zoneError)
        {
            outcome = zoneError;
        }
        else if (durationSeconds is null && litres is null)
        {
            outcome = new CommandOutcome(CommandStatus.BadRequest,
                Message: $"give a duration (1 to {hub.State.MaxDurationSeconds} seconds), litres (tenths of a litre, above 0), or both");
        }
        else if (durationSeconds is int duration && (duration < 1 || duration > hub.State.MaxDurationSeconds))
        {
            outcome = new CommandOutcome(CommandStatus.BadRequest,
                Message: $"duration must be between 1 and {hub.State.MaxDurationSeconds} seconds");
        }
        else if (litres is long volume && volume is < 1 or > MaxLitres)
        {
            outcome = new CommandOutcome(CommandStatus.BadRequest,
                Message: $"litres must be a whole number of tenths of a litre between 1 and {MaxLitres} (125 = 12.5 L)");
        }
        else
        {
            outcome = await SendAsync(hub, EventNames.Irrigate, zones, durationSeconds, litres);
        }

        await AuditAsync(userId, deviceId, EventNames.Irrigate, detail, via, outcome);
        return outcome;
    }

    /// <summary>Closes <paramref name="zones"/> (all when empty or null), for the device's owner or an operator.</summary>
    public async Task<CommandOutcome> StopAsync(string userId, string deviceId, IReadOnlyList<string>? zones, string? via = null)
    {
        zones ??= [];
        var detail = zones.Count == 0 ? "all zones" : "zones " + string.Join(",", zones);
        var (hub, error) = await FindAsync(userId, deviceId, EventNames.Stop, detail, via);
        if (hub is null)
        {
            return error!;
        }

        var outcome = CheckZones(hub, zones) ?? await SendAsync(hub, EventNames.Stop, zones, null, null);
        await AuditAsync(userId, deviceId, EventNames.Stop, detail, via, outcome);
        return outcome;
    }

    /// <summary>
    /// Clears the controller's leak lock (a person found the leak), for the device's owner or an operator. The
    /// controller answers with command_result (ok also when there was no lock); the device's state follows that answer.
    /// </summary>
    public async Task<CommandOutcome> ClearLeakAsync(string userId, string deviceId, string? via = null)
    {
        const string detail = "leak lock";
        var (hub, error) = await FindAsync(userId, deviceId, EventNames.ClearLeak, detail, via);
        if (hub is null)
        {
            return error!;
        }

        var outcome = await SendAsync(hub, EventNames.ClearLeak, null, null, null);
        await AuditAsync(userId, deviceId, EventNames.ClearLeak, detail, via, outcome);
        return outcome;
    }

    // The device's hub when the user may command it; 404 for a device they do not see, 403 (audited) for a viewer.
    private async Task<(DeviceHub?, CommandOutcome?)> FindAsync(string userId, string deviceId, string action, string detail, string? via)
    {
        var access = await accounts.FindDeviceAccessAsync(deviceId, userId);
        if (access is null)
        {
            return (null, new CommandOutcome(CommandStatus.NotFound, Message: $"no device '{deviceId}'"));
        }

        if (access.Role < DeviceRole.Operator)
        {
            var forbidden = new CommandOutcome(CommandStatus.Forbidden, Message: $"'{userId}' is a viewer of '{deviceId}': only its owner and operators may command it");
            await AuditAsync(userId, deviceId, action, detail, via, forbidden);
            return (null, forbidden);
        }

        return (await hubs.GetAsync(access.Device), null);
    }

    private Task AuditAsync(string userId, string deviceId, string action, string detail, string? via, CommandOutcome outcome) =>
        audit.RecordAsync(new AuditEntry(
            clock.GetUtcNow().ToUnixTimeSeconds(), deviceId, userId, action, via is null ? detail : $"{detail} (via {via})",
            outcome.Status switch
            {
                CommandStatus.Sent => "sent " + outcome.Id,
                CommandStatus.Forbidden => "forbidden",
                _ => outcome.Status.ToString().ToLowerInvariant() + ": " + outcome.Message,
            }));

    private static CommandOutcome? CheckZones(DeviceHub hub, IReadOnlyList<string> zones)
    {
        string[] known;
        lock (hub.Gate)
        {
            known = hub.State.Zones;
        }

        foreach (var zone in zones)
        {
            if (Array.IndexOf(known, zone) < 0)
            {
                return new CommandOutcome(CommandStatus.BadRequest,
                    Message: $"unknown zone '{zone}' (the device has: {string.Join(", ", known)})");
            }
        }

        return null;
    }

    private async Task<CommandOutcome> SendAsync(DeviceHub hub, string eventName, IReadOnlyList<string>? zones, int? duration, long? litres)
    {
        if (!await backplane.IsOnlineAsync(hub.DeviceId))
        {
            return Offline(hub);
        }

        var id = "c-" + await events.NextCommandNumberAsync();
        var data = CommandData(id, zones, duration, litres);
        switch (await backplane.SendToControllerAsync(hub.DeviceId, ServerFrames.Envelope(eventName, data)))
        {
            case Delivery.Offline:
                return Offline(hub);
            case Delivery.Busy:
                return new CommandOutcome(CommandStatus.Busy, Message: $"device '{hub.DeviceId}' is not reading its connection");
        }

        metrics.CommandSent();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var tagged = ServerFrames.Tagged(eventName, hub.DeviceId, null, data);
        // Published like an event (the other instances apply it too): a clear_leak's id is how its result is recognised.
        hub.Publish(DeviceUpdate.FromTaggedFrame(tagged, now), tagged, droppable: false);
        backplane.Publish(hub.DeviceId, tagged);
        try
        {
            var record = new IngestRecord { DeviceId = hub.DeviceId, Event = eventName, Time = now, Received = now, DataJson = Encoding.UTF8.GetString(data) };
            await pipeline.EnqueueAsync(new IngestItem(record, null, 0));
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Shutting down; the command went out, only its history entry is lost.
        }

        return new CommandOutcome(CommandStatus.Sent, id);
    }

    private static CommandOutcome Offline(DeviceHub hub) => new(CommandStatus.Offline, Message: $"device '{hub.DeviceId}' is offline");

    // {"id":…,"zones":[…],"duration":…,"litres":…}, each part only when the command has it (clear_leak: the id alone).
    private static byte[] CommandData(string id, IReadOnlyList<string>? zones, int? duration, long? litres)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteString("id", id);
        if (zones is not null)
        {
            w.WriteStartArray("zones");
            foreach (var zone in zones)
            {
                w.WriteStringValue(zone);
            }

            w.WriteEndArray();
        }

        if (duration is int d)
        {
            w.WriteNumber("duration", d);
        }

        if (litres is long l)
        {
            w.WriteNumber("litres", l);
        }

        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
