using System.Collections.Concurrent;
using Irrigation.Server.Auth;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The <see cref="DeviceHub"/> of every device touched since start, loaded from storage on first use (last values,
/// last_seen and open zones survive a restart) and told by the backplane whether the device is online anywhere.
/// The <see cref="IDeviceObserver"/>, when one is registered (the MQTT bridge), watches every hub.
/// </summary>
public sealed class DeviceHubs(
    IEventStore events, IRelayBackplane backplane, IOptions<RelayOptions> options, TimeProvider clock, IDeviceObserver? observer = null)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<DeviceHub>>> _hubs = new(StringComparer.Ordinal);

    /// <summary>The hub of a device, loading it once.</summary>
    public Task<DeviceHub> GetAsync(DeviceRecord record) =>
        _hubs.GetOrAdd(record.DeviceId, _ => new Lazy<Task<DeviceHub>>(() => LoadAsync(record))).Value;

    /// <summary>The hubs of the devices a user may see, with the user's role on each, in the same order.</summary>
    public async Task<(DeviceHub Hub, DeviceRole Role)[]> GetAllAsync(IReadOnlyList<DeviceAccess> devices)
    {
        var hubs = new (DeviceHub, DeviceRole)[devices.Count];
        for (var i = 0; i < devices.Count; i++)
        {
            hubs[i] = (await GetAsync(devices[i].Device), devices[i].Role);
        }

        return hubs;
    }

    /// <summary>
    /// The hub of a device once it is loaded, or null when this instance has not touched the device (a frame from
    /// another instance for a device nobody here watches needs no hub).
    /// </summary>
    public async Task<DeviceHub?> WhenLoadedAsync(string deviceId)
    {
        if (!_hubs.TryGetValue(deviceId, out var lazy))
        {
            return null;
        }

        try
        {
            return await lazy.Value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<DeviceHub> LoadAsync(DeviceRecord record)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        // Follow the device across instances before reading what is stored, so nothing published in between is missed.
        await backplane.WatchDeviceAsync(record.DeviceId);
        var latest = await events.GetLatestAsync(record.DeviceId);
        var state = new DeviceState(record, latest, new RateLimiter(o.MaxEventsPerSecond, o.RateBurst, clock), now)
        {
            Online = await backplane.IsOnlineAsync(record.DeviceId),
        };
        return new DeviceHub(state, observer);
    }
}
