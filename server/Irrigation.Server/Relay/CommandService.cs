using System.Buffers;
using System.Text;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Observability;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// Sends irrigate and stop to a connected controller with a generated id "c-N" (N keeps counting across restarts),
/// records the command in the history and shows it to the owner's dashboards.
/// </summary>
public sealed class CommandService(
    IAccountStore accounts,
    IEventStore events,
    DeviceStateRegistry states,
    ControllerRegistry controllers,
    IngestPipeline pipeline,
    RelayMetrics metrics,
    TimeProvider clock)
{
    private readonly SemaphoreSlim _seedLock = new(1, 1);
    private long _next = -1;

    /// <summary>Opens <paramref name="zones"/> for <paramref name="durationSeconds"/> (1…the device's maximum).</summary>
    public async Task<CommandOutcome> IrrigateAsync(string userId, string deviceId, IReadOnlyList<string>? zones, int? durationSeconds)
    {
        var (state, error) = await FindAsync(userId, deviceId);
        if (state is null)
        {
            return error!;
        }

        if (zones is null || zones.Count == 0)
        {
            return new CommandOutcome(CommandStatus.BadRequest, Message: "zones must name at least one zone");
        }

        if (CheckZones(state, zones) is { } zoneError)
        {
            return zoneError;
        }

        if (durationSeconds is not int duration || duration < 1 || duration > state.MaxDurationSeconds)
        {
            return new CommandOutcome(CommandStatus.BadRequest,
                Message: $"duration must be between 1 and {state.MaxDurationSeconds} seconds");
        }

        return await SendAsync(state, EventNames.Irrigate, zones, duration);
    }

    /// <summary>Closes <paramref name="zones"/> (all when empty or null).</summary>
    public async Task<CommandOutcome> StopAsync(string userId, string deviceId, IReadOnlyList<string>? zones)
    {
        var (state, error) = await FindAsync(userId, deviceId);
        if (state is null)
        {
            return error!;
        }

        zones ??= [];
        if (CheckZones(state, zones) is { } zoneError)
        {
            return zoneError;
        }

        return await SendAsync(state, EventNames.Stop, zones, null);
    }

    private async Task<(DeviceState?, CommandOutcome?)> FindAsync(string userId, string deviceId)
    {
        var record = await accounts.FindDeviceAsync(deviceId);
        if (record is null || record.Owner != userId)
        {
            return (null, new CommandOutcome(CommandStatus.NotFound, Message: $"no device '{deviceId}'"));
        }

        return (await states.GetAsync(record), null);
    }

    private static CommandOutcome? CheckZones(DeviceState state, IReadOnlyList<string> zones)
    {
        string[] known;
        lock (state.Hub.Gate)
        {
            known = state.Zones;
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

    private async Task<CommandOutcome> SendAsync(DeviceState state, string eventName, IReadOnlyList<string> zones, int? duration)
    {
        var controller = controllers.Find(state.DeviceId);
        if (controller is null)
        {
            return new CommandOutcome(CommandStatus.Offline, Message: $"device '{state.DeviceId}' is offline");
        }

        var id = "c-" + await NextNumberAsync();
        var data = CommandData(id, zones, duration);
        var frame = Envelope(eventName, null, data);
        if (!controller.TrySend(frame))
        {
            return new CommandOutcome(CommandStatus.Busy, Message: $"device '{state.DeviceId}' is not reading its connection");
        }

        metrics.CommandSent();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            await pipeline.EnqueueAsync(new IngestItem
            {
                Kind = IngestItemKind.Command,
                State = state,
                Record = new IngestRecord
                {
                    DeviceId = state.DeviceId,
                    Event = eventName,
                    Time = now,
                    Received = now,
                    DataJson = Encoding.UTF8.GetString(data),
                },
                Frame = Envelope(eventName, state.DeviceId, data),
            });
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Shutting down; the command went out, only its history entry is lost.
        }

        return new CommandOutcome(CommandStatus.Sent, id);
    }

    private async Task<long> NextNumberAsync()
    {
        if (Volatile.Read(ref _next) < 0)
        {
            await _seedLock.WaitAsync();
            try
            {
                if (_next < 0)
                {
                    Volatile.Write(ref _next, await events.GetLastCommandNumberAsync());
                }
            }
            finally
            {
                _seedLock.Release();
            }
        }

        return Interlocked.Increment(ref _next);
    }

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

    private static byte[] Envelope(string eventName, string? device, byte[] data) =>
        device is null ? ServerFrames.Envelope(eventName, data) : ServerFrames.Tagged(eventName, device, null, data);
}
