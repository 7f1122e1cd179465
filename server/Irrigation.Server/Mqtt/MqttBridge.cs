using System.Text.Json;
using System.Threading.Channels;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Relay;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The MQTT bridge to Home Assistant: exposes the devices of <c>Mqtt:User</c> with discovery configs and retained
/// states, and runs the commands Home Assistant sends. Five loops: device changes from the relay (the
/// <see cref="DeviceChangeFeed"/>) into <see cref="BridgeState"/>; the user's device list, read every second and
/// at once after a change made in this process; the states read from storage (<see cref="StoredStates"/>: water used
/// today, rain delay); commands, one at a time; and the <see cref="BrokerLink"/>, which owns the connection.
/// </summary>
public sealed class MqttBridge(
    DeviceChangeFeed feed,
    BridgeState state,
    BrokerLink link,
    MqttCommands commands,
    StoredStates stored,
    IngestPipeline pipeline,
    MqttTopics topics,
    RetainedOutbox outbox,
    DeviceHubs hubs,
    IAccountStore accounts,
    CredentialChanges changes,
    IOptions<MqttOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<MqttBridge> log) : BackgroundService
{
    /// <summary>How often the user's device list is read (a removed or unshared device leaves Home Assistant within this).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Commands waiting to run; a burst beyond this is answered "busy" at once.
    private const int CommandQueueLength = 64;

    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _poke = new(0, 1);
    private Channel<IncomingMessage>? _commands;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing before the server listens: the dashboard link needs its address, and start-up needs the cores.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        _commands = Channel.CreateBounded<IncomingMessage>(
            new BoundedChannelOptions(CommandQueueLength) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            commands.Busy);
        link.Received = OnMessage;
        log.LogInformation("MQTT bridge: exposing the devices of '{User}' under {Base}/, discovery under {Prefix}/", options.Value.User, topics.Base, topics.Prefix);
        // A volume stored by this instance's ingest writer: today's water is read right after the commit.
        pipeline.VolumeStored += stored.Refresh;
        try
        {
            await Task.WhenAll(
                Guard(RunChangesAsync(stoppingToken)),
                Guard(RunDeviceListAsync(stoppingToken)),
                Guard(stored.RunAsync(stoppingToken)),
                Guard(RunCommandsAsync(_commands.Reader, stoppingToken)),
                Guard(link.RunAsync(_synced.Task, stoppingToken)));
        }
        finally
        {
            pipeline.VolumeStored -= stored.Refresh;
        }
    }

    private async Task Guard(Task loop)
    {
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    // On the MQTT client's receive loop: route, never wait.
    private void OnMessage(IncomingMessage message)
    {
        try
        {
            if (message.Topic == topics.HomeAssistantStatus)
            {
                if (System.Text.Encoding.UTF8.GetString(message.Payload).Trim() == "online")
                {
                    log.LogInformation("Home Assistant is online: publishing discovery again");
                    outbox.MarkConfigsDirty();
                }
            }
            else if (message.Topic.StartsWith(topics.Prefix + "/", StringComparison.Ordinal) && message.Topic.EndsWith("/config", StringComparison.Ordinal))
            {
                state.ObserveRetainedConfig(message.Topic, System.Text.Encoding.UTF8.GetString(message.Payload));
            }
            else if (topics.IsCommand(message.Topic) && !message.Retain)
            {
                _commands?.Writer.TryWrite(message);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogWarning(e, "MQTT message on {Topic} could not be handled", message.Topic);
        }
    }

    private async Task RunChangesAsync(CancellationToken ct)
    {
        await foreach (var change in feed.Reader.ReadAllAsync(ct))
        {
            try
            {
                Apply(change);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning(e, "MQTT bridge: a {Event} of {Device} could not be applied", change.Update.Event, change.Hub.DeviceId);
            }
        }
    }

    private void Apply(DeviceChange change)
    {
        var device = change.Hub.DeviceId;
        if (!state.IsBridged(device))
        {
            return;
        }

        var update = change.Update;
        if (update.Kind is not null)
        {
            state.ApplyReading(device, update.Event, update.Time, update.Value, update.Zone);
            return;
        }

        switch (update.Event)
        {
            case EventNames.DeviceOnline:
                if (Data(change.Frame, "firmware") is { ValueKind: JsonValueKind.String } firmware)
                {
                    state.ApplyFirmware(device, firmware.GetString()!);
                }

                Refresh(change.Hub);
                // Its hello may have brought zones, each with a water entity.
                stored.Refresh(device);
                break;
            case EventNames.Status:
                if (Data(change.Frame, "rssi") is { ValueKind: JsonValueKind.Number } rssi && Data(change.Frame, "buffered") is { ValueKind: JsonValueKind.Number } buffered)
                {
                    state.ApplyStatus(device, rssi.GetInt64(), buffered.GetInt64());
                }

                Refresh(change.Hub);
                break;
            case EventNames.DeviceOffline:
            case EventNames.IrrigationStarted:
                Refresh(change.Hub);
                break;
            case EventNames.IrrigationStopped:
                Refresh(change.Hub);
                if (update.Litres is not null)
                {
                    // This instance's commit reads it at once (VolumeStored); a controller on another instance of a
                    // cluster is stored there, a moment after its event reaches us.
                    stored.RefreshAfter(device, TimeSpan.FromSeconds(1));
                }

                break;
            case Settings.SettingsService.SavedEvent:
                stored.Refresh(device);
                break;
            case EventNames.SensorDisconnected:
            case EventNames.SensorReconnected:
                if (Data(change.Frame, "sensor") is { ValueKind: JsonValueKind.String } sensor)
                {
                    state.ApplyFault(device, sensor.GetString()!, update.Event == EventNames.SensorDisconnected, update.Time);
                }

                break;
        }
    }

    // Zones and presence come from the hub, their one owner, so a dropped change is healed by the next one.
    private void Refresh(DeviceHub hub) => state.ApplySnapshot(hub.DeviceId, DeviceSnapshot.Read(hub, clock.GetUtcNow().ToUnixTimeSeconds()));

    private static JsonElement? Data(byte[] frame, string field)
    {
        using var document = JsonDocument.Parse(frame);
        return document.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty(field, out var value) ? value.Clone() : null;
    }

    private async Task RunDeviceListAsync(CancellationToken ct)
    {
        var user = options.Value.User;
        string? seen = null;
        var missingUserLogged = false;
        changes.Changed += Poke;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    // Read every second: adding a device or a user raises no credentials version, and the CLI or
                    // another instance may add one. One indexed query; the hubs are read only when the list changed.
                    var devices = await accounts.ListAccessibleDevicesAsync(user, ct);
                    if (devices.Count == 0 && !await accounts.UserExistsAsync(user, ct))
                    {
                        // Exposing nothing would delete every entity from Home Assistant over a typo: wait instead.
                        if (!missingUserLogged)
                        {
                            log.LogError("Mqtt:User '{User}' does not exist: the MQTT bridge waits until it does (users add {User})", user, user);
                            missingUserLogged = true;
                        }
                    }
                    else
                    {
                        var list = string.Join(",", devices.Select(d => $"{d.Device.DeviceId}:{d.Role}"));
                        if (list != seen)
                        {
                            await SyncAsync(devices);
                            seen = list;
                            missingUserLogged = false;
                            _synced.TrySetResult();
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "MQTT bridge: reading the devices of '{User}' failed; retrying", user);
                }

                await _poke.WaitAsync(PollInterval, ct);
            }
        }
        finally
        {
            changes.Changed -= Poke;
        }
    }

    private async Task SyncAsync(IReadOnlyList<DeviceAccess> devices)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var exposed = new List<(DeviceAccess, DeviceHub, DeviceSnapshot)>(devices.Count);
        foreach (var access in devices)
        {
            // Loading the hub also follows the device's frames from the other instances of a cluster.
            var hub = await hubs.GetAsync(access.Device);
            exposed.Add((access, hub, DeviceSnapshot.Read(hub, now)));
        }

        state.Sync(exposed);
        foreach (var (access, _, _) in exposed)
        {
            stored.Refresh(access.Device.DeviceId);
        }
    }

    private async Task RunCommandsAsync(ChannelReader<IncomingMessage> reader, CancellationToken ct)
    {
        await foreach (var message in reader.ReadAllAsync(ct))
        {
            await commands.HandleAsync(message);
        }
    }

    private void Poke()
    {
        if (_poke.CurrentCount == 0)
        {
            try
            {
                _poke.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already poked.
            }
        }
    }
}
