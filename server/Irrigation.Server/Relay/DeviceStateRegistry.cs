using System.Collections.Concurrent;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// The in-memory <see cref="DeviceState"/> of every device touched since start, loaded from storage on first use
/// (last values and last_seen survive a restart; zone states come back with the next status or irrigation event).
/// </summary>
public sealed class DeviceStateRegistry(IEventStore events, UserHubs hubs, IOptions<RelayOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<DeviceState>>> _states = new(StringComparer.Ordinal);

    /// <summary>The state of a device, loading it once.</summary>
    public Task<DeviceState> GetAsync(DeviceRecord record)
    {
        var lazy = _states.GetOrAdd(record.DeviceId, _ => new Lazy<Task<DeviceState>>(() => LoadAsync(record)));
        return lazy.Value;
    }

    /// <summary>The states of several devices, in the same order.</summary>
    public async Task<DeviceState[]> GetAllAsync(IReadOnlyList<DeviceRecord> records)
    {
        var states = new DeviceState[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            states[i] = await GetAsync(records[i]);
        }

        return states;
    }

    private async Task<DeviceState> LoadAsync(DeviceRecord record)
    {
        var latest = await events.GetLatestAsync(record.DeviceId);
        var o = options.Value;
        return new DeviceState(record, latest, hubs.Get(record.Owner), new RateLimiter(o.MaxEventsPerSecond, o.RateBurst, clock), clock.GetUtcNow().ToUnixTimeSeconds());
    }
}
