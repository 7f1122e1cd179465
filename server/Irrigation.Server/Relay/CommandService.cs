using System.Buffers;
using System.Text;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Observability;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// Sends irrigate and stop to the controller, on whichever instance it is connected, with an id "c-N" (N is shared
/// by every instance and keeps counting across restarts), records the command in the history and shows it to the
/// dashboards.
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
    /// <summary>
    /// Opens <paramref name="zones"/> for <paramref name="durationSeconds"/> (1…the device's maximum), for a user who
    /// is the device's owner or operator; <paramref name="via"/> names the path for the audit trail ("mqtt").
    /// </summary>
    public async Task<CommandOutcome> IrrigateAsync(string userId, string deviceId, IReadOnlyList<string>? zones, int? durationSeconds, string? via = null)
    {
        var detail = $"zones {string.Join(",", zones ?? [])} for {durationSeconds} s";
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
        else if (durationSeconds is not int duration || duration < 1 || duration > hub.State.MaxDurationSeconds)
        {
            outcome = new CommandOutcome(CommandStatus.BadRequest,
                Message: $"duration must be between 1 and {hub.State.MaxDurationSeconds} seconds");
        }
        else
        {
            outcome = await SendAsync(hub, EventNames.Irrigate, zones, duration);
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

        var outcome = CheckZones(hub, zones) ?? await SendAsync(hub, EventNames.Stop, zones, null);
        await AuditAsync(userId, deviceId, EventNames.Stop, detail, via, outcome);
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

    private async Task<CommandOutcome> SendAsync(DeviceHub hub, string eventName, IReadOnlyList<string> zones, int? duration)
    {
        if (!await backplane.IsOnlineAsync(hub.DeviceId))
        {
            return Offline(hub);
        }

        var id = "c-" + await events.NextCommandNumberAsync();
        var data = CommandData(id, zones, duration);
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
        hub.Broadcast(tagged);
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

    private static byte[] CommandData(string id, IReadOnlyList<string> zones, int? duration)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteStartArray("zones");
        foreach (var zone in zones)
        {
            w.WriteStringValue(zone);
        }

        w.WriteEndArray();
        if (duration is int d)
        {
            w.WriteNumber("duration", d);
        }

        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
