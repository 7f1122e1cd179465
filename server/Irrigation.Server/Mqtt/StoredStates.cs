using Irrigation.Server.Settings;
using Irrigation.Server.Water;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The states the bridge reads from storage rather than from the live path: water used today per zone (the water
/// ledger, so a volume counts once however often it was sent) and whether a rain delay holds (the saved settings).
/// A device is read when asked (a volume was stored, settings were saved, the device appeared or came online) and
/// again when a read's answer runs out: at the next local midnight (today's water starts at 0) and when the rain
/// delay ends. Requests for one device coalesce; due times are checked every second.
/// </summary>
public sealed class StoredStates(WaterLedger ledger, SettingsService settings, BridgeState state, TimeProvider clock, ILogger<StoredStates> log)
{
    /// <summary>How often due times are checked (a midnight or a rain delay's end is seen within this).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    // A read that failed (storage unreachable) is tried again this much later.
    private const long RetrySeconds = 10;

    private readonly Lock _gate = new();
    // Device -> Unix second from which it is due for a read (one entry per exposed device at most).
    private readonly Dictionary<string, long> _due = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Reads the device as soon as possible.</summary>
    public void Refresh(string device)
    {
        Schedule(device, 0);
        Wake();
    }

    /// <summary>Reads the device after <paramref name="delay"/> (or sooner, when already due sooner).</summary>
    public void RefreshAfter(string device, TimeSpan delay) =>
        Schedule(device, clock.GetUtcNow().ToUnixTimeSeconds() + (long)Math.Ceiling(delay.TotalSeconds));

    /// <summary>Runs the reads until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var device in TakeDue(clock.GetUtcNow().ToUnixTimeSeconds()))
            {
                await ReadAsync(device, ct);
            }

            await _wake.WaitAsync(Tick, ct);
        }
    }

    private async Task ReadAsync(string device, CancellationToken ct)
    {
        if (state.ZonesOf(device) is not { } zones)
        {
            return; // Not exposed (any more): nothing to publish, nothing to schedule.
        }

        try
        {
            var today = await ledger.TodayAsync(device, zones, ct);
            var rainDelayUntil = await settings.RainDelayUntilAsync(device, ct);
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var raining = rainDelayUntil > now;
            state.ApplyStoredStates(device, today.Buckets[0].Litres, raining);
            Schedule(device, raining ? Math.Min(today.To, rainDelayUntil) : today.To);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "MQTT bridge: reading the water ledger and rain delay of {Device} failed; retrying in {Seconds} s", device, RetrySeconds);
            Schedule(device, clock.GetUtcNow().ToUnixTimeSeconds() + RetrySeconds);
        }
    }

    // Keeps the earlier of the two due times.
    private void Schedule(string device, long at)
    {
        lock (_gate)
        {
            _due[device] = _due.TryGetValue(device, out var due) ? Math.Min(due, at) : at;
        }
    }

    private List<string> TakeDue(long now)
    {
        lock (_gate)
        {
            var due = _due.Where(d => d.Value <= now).Select(d => d.Key).ToList();
            foreach (var device in due)
            {
                _due.Remove(device);
            }

            return due;
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }
}
