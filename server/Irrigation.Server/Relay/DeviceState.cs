using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// What the server knows now about one device: presence, last values, zone states, the last flow alerts and the
/// leak lock. Changed and read only inside its <see cref="DeviceHub.Gate"/> (<see cref="LastSeen"/> alone is written
/// lock-free by the receive loop).
/// </summary>
public sealed class DeviceState
{
    /// <summary>How many flow alerts the snapshot lists (the newest).</summary>
    public const int FlowAlertsKept = 5;

    // clear_leak commands whose result may still come: the newest few (one per click; older ones were answered).
    private const int ClearLeakIdsKept = 16;

    private readonly LatestReading?[] _latest = new LatestReading?[ReadingSpecs.MaxCode + 1];
    private readonly Dictionary<string, ZoneState> _zoneStates = new(StringComparer.Ordinal);
    private readonly List<FlowAlert> _flowAlerts = new(FlowAlertsKept + 1);
    private readonly Queue<string> _clearLeakIds = new(ClearLeakIdsKept + 1);
    private long _lastSeen;

    /// <summary>Creates the state from the stored record and what storage knows about recent activity.</summary>
    public DeviceState(DeviceRecord record, DeviceLatest latest, RateLimiter rate, long now)
    {
        DeviceId = record.DeviceId;
        Owner = record.Owner;
        Zones = record.Zones;
        MaxDurationSeconds = record.MaxDurationSeconds;
        Rate = rate;
        _lastSeen = latest.LastSeen ?? 0;
        foreach (var reading in latest.Readings)
        {
            _latest[(int)reading.Kind] = reading;
        }

        foreach (var irrigation in latest.RecentIrrigation)
        {
            if (irrigation.Started)
            {
                ApplyStarted(irrigation.Zones, irrigation.DurationSeconds, irrigation.Received);
            }
            else
            {
                ApplyStopped(irrigation.Zones.ToArray());
            }
        }

        foreach (var alert in latest.FlowAlerts.Reverse())
        {
            ApplyFlowAlert(alert, lockOnLeak: false);
        }

        // Oldest first, so the newest stay when the queue is full.
        foreach (var id in latest.ClearLeakIds.Reverse())
        {
            RememberClearLeak(id);
        }

        LeakLocked = latest.LeakLocked;

        // A lease that ran out while the server was down is closed: the controller enforces it on its own.
        foreach (var (zone, state) in _zoneStates.ToArray())
        {
            if (state.Open && state.LeaseEnd <= now)
            {
                _zoneStates[zone] = default;
            }
        }
    }

    /// <summary>The device id.</summary>
    public string DeviceId { get; }

    /// <summary>The owning user.</summary>
    public string Owner { get; }

    /// <summary>The device's event rate limit.</summary>
    public RateLimiter Rate { get; }

    /// <summary>The device's zones (provisioned, or from its hello when none were provisioned).</summary>
    public string[] Zones { get; set; }

    /// <summary>Longest irrigate duration the API accepts, seconds.</summary>
    public int MaxDurationSeconds { get; set; }

    /// <summary>True between device_online and device_offline (on any instance of the cluster).</summary>
    public bool Online { get; set; }

    /// <summary>
    /// True from a leak alert until a clear_leak command is answered with ok: the controller's master valve is locked
    /// shut and nothing waters (the controller keeps the lock itself; this is what the dashboards are shown).
    /// </summary>
    public bool LeakLocked { get; private set; }

    /// <summary>Server time of the last frame received, Unix seconds, or null.</summary>
    public long? LastSeen
    {
        get => Volatile.Read(ref _lastSeen) is var v and > 0 ? v : null;
    }

    /// <summary>Records that a frame arrived now (lock-free).</summary>
    public void Seen(long now) => Volatile.Write(ref _lastSeen, now);

    /// <summary>Applies what an event changes (readings, zones; other events change nothing here).</summary>
    public void Apply(in DeviceUpdate update)
    {
        if (update.Kind is ReadingKind kind)
        {
            ApplyReading(new LatestReading(kind, update.Time, update.Value, update.Raw, update.Zone));
            return;
        }

        switch (update.Event)
        {
            case EventNames.IrrigationStarted:
                ApplyStarted(update.Zones ?? [], update.Duration, update.Received);
                break;
            case EventNames.IrrigationStopped:
                ApplyStopped(update.Zones ?? []);
                break;
            case EventNames.Status:
                ApplyOpenZones(update.Zones ?? []);
                break;
            case EventNames.DeviceOnline:
                Online = true;
                break;
            case EventNames.DeviceOffline:
                Online = false;
                break;
            case EventNames.FlowAlert when update.Alert is { } alert:
                ApplyFlowAlert(alert, lockOnLeak: true);
                break;
            case EventNames.ClearLeak when update.CommandId is { } id:
                RememberClearLeak(id);
                break;
            case EventNames.CommandResult when update.Ok && update.CommandId is { } id && _clearLeakIds.Contains(id):
                LeakLocked = false;
                break;
        }
    }

    // Lists the alert among the newest (by device time: a replayed older one may fall off at once); a live leak locks.
    private void ApplyFlowAlert(FlowAlert alert, bool lockOnLeak)
    {
        if (lockOnLeak && alert.Kind == FlowAlertKinds.Leak)
        {
            LeakLocked = true;
        }

        var at = _flowAlerts.FindIndex(a => a.Time <= alert.Time);
        _flowAlerts.Insert(at < 0 ? _flowAlerts.Count : at, alert);
        if (_flowAlerts.Count > FlowAlertsKept)
        {
            _flowAlerts.RemoveAt(FlowAlertsKept);
        }
    }

    private void RememberClearLeak(string id)
    {
        _clearLeakIds.Enqueue(id);
        if (_clearLeakIds.Count > ClearLeakIdsKept)
        {
            _clearLeakIds.Dequeue();
        }
    }

    /// <summary>Keeps the newest reading per kind (a replayed older reading does not replace a newer one).</summary>
    public void ApplyReading(LatestReading reading)
    {
        var current = _latest[(int)reading.Kind];
        if (current is null || reading.Time >= current.Time)
        {
            _latest[(int)reading.Kind] = reading;
        }
    }

    /// <summary>irrigation_started: the zones are open until now + the lease.</summary>
    public void ApplyStarted(IEnumerable<string> zones, long durationSeconds, long now)
    {
        foreach (var zone in zones)
        {
            _zoneStates[zone] = new ZoneState(true, now + durationSeconds);
        }
    }

    /// <summary>irrigation_stopped: the zones (all when empty) are closed.</summary>
    public void ApplyStopped(IReadOnlyCollection<string> zones)
    {
        if (zones.Count == 0)
        {
            foreach (var zone in _zoneStates.Keys.ToArray())
            {
                _zoneStates[zone] = default;
            }

            return;
        }

        foreach (var zone in zones)
        {
            _zoneStates[zone] = default;
        }
    }

    /// <summary>status.open_zones: exactly these zones are open (leases already known are kept).</summary>
    public void ApplyOpenZones(IReadOnlyCollection<string> open)
    {
        foreach (var zone in _zoneStates.Keys.ToArray())
        {
            if (!open.Contains(zone))
            {
                _zoneStates[zone] = default;
            }
        }

        foreach (var zone in open)
        {
            if (!_zoneStates.TryGetValue(zone, out var state) || !state.Open)
            {
                _zoneStates[zone] = new ZoneState(true, 0);
            }
        }
    }

    /// <summary>
    /// Writes the device as the snapshot and GET /api/devices show it to a user of <paramref name="role"/>:
    /// {device, role, online, last_seen, zones:[{zone, open, remaining}], last:{kind:{time, record (the kind's value field), ...}}, max_duration,
    /// leak_locked, flow_alerts:[{time, zone?, kind, expected, measured}] (newest first)}.
    /// </summary>
    public void WriteJson(Utf8JsonWriter w, long now, DeviceRole role)
    {
        w.WriteStartObject();
        w.WriteString("device", DeviceId);
        w.WriteString("role", role.ToWire());
        w.WriteBoolean("online", Online);
        if (LastSeen is long seen)
        {
            w.WriteNumber("last_seen", seen);
        }
        else
        {
            w.WriteNull("last_seen");
        }

        w.WriteStartArray("zones");
        foreach (var zone in ZoneNames())
        {
            var state = _zoneStates.GetValueOrDefault(zone);
            w.WriteStartObject();
            w.WriteString("zone", zone);
            w.WriteBoolean("open", state.Open);
            // Seconds left on the lease; 0 when closed or when the lease is not known (opened before a restart).
            w.WriteNumber("remaining", state.Open && state.LeaseEnd > now ? state.LeaseEnd - now : 0);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("last");
        foreach (var reading in _latest)
        {
            if (reading is null)
            {
                continue;
            }

            var spec = ReadingKinds.Spec(reading.Kind);
            w.WriteStartObject(spec.Name);
            w.WriteNumber("time", reading.Time);
            w.WriteNumber(spec.Field, reading.Value);
            if (reading.Raw is long raw)
            {
                w.WriteNumber("raw", raw);
            }

            if (reading.Zone is not null)
            {
                w.WriteString("zone", reading.Zone);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteNumber("max_duration", MaxDurationSeconds);
        w.WriteBoolean("leak_locked", LeakLocked);
        w.WriteStartArray("flow_alerts");
        foreach (var alert in _flowAlerts)
        {
            alert.WriteJson(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private IEnumerable<string> ZoneNames()
    {
        foreach (var zone in Zones)
        {
            yield return zone;
        }

        foreach (var zone in _zoneStates.Keys)
        {
            if (Array.IndexOf(Zones, zone) < 0)
            {
                yield return zone;
            }
        }
    }
}
