using System.Diagnostics.Metrics;

namespace Irrigation.Server.Observability;

/// <summary>
/// The relay's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>), exported at /metrics by
/// OpenTelemetry's Prometheus exporter: counters become <c>irrigation_events_in_total</c> and the like.
/// </summary>
public sealed class RelayMetrics
{
    /// <summary>The meter every instrument belongs to.</summary>
    public const string MeterName = "Irrigation.Relay";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _eventsIn;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _eventsOut;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _disconnected;
    private readonly Counter<long> _backplaneFrames;
    private readonly Counter<long> _authThrottled;
    private readonly Counter<long> _rateDelayed;
    private Func<int> _ingestQueue = () => 0;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public RelayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _connections = _meter.CreateUpDownCounter<long>("irrigation.connections", description: "Open WebSocket connections by kind (controller, dashboard).");
        _eventsIn = _meter.CreateCounter<long>("irrigation.events.in", description: "Controller events accepted.");
        _stored = _meter.CreateCounter<long>("irrigation.events.stored", description: "Controller events committed to storage.");
        _duplicates = _meter.CreateCounter<long>("irrigation.events.duplicate", description: "Repeated (device, boot, seq) acknowledged but not stored or fanned out again.");
        _eventsOut = _meter.CreateCounter<long>("irrigation.events.out", description: "Frames sent to dashboards.");
        _dropped = _meter.CreateCounter<long>("irrigation.dropped", description: "Telemetry frames dropped from full dashboard queues.");
        _commands = _meter.CreateCounter<long>("irrigation.commands", description: "Commands sent to controllers.");
        _authFailures = _meter.CreateCounter<long>("irrigation.auth.failures", description: "Rejected hellos and dashboard upgrades.");
        _rejected = _meter.CreateCounter<long>("irrigation.rejected", description: "Rejected controller frames by error code.");
        _disconnected = _meter.CreateCounter<long>("irrigation.dashboards.disconnected", description: "Dashboards closed by the server by reason.");
        _backplaneFrames = _meter.CreateCounter<long>("irrigation.backplane.frames", description: "Frames exchanged with other server instances by direction (out, in).");
        _authThrottled = _meter.CreateCounter<long>("irrigation.auth.throttled", description: "Authentication attempts delayed or refused after repeated failures, by decision.");
        _rateDelayed = _meter.CreateCounter<long>("irrigation.rate.delayed", description: "Frames a controller above its event rate had to wait for (read later, never rejected).");
        _meter.CreateObservableGauge("irrigation.ingest.queue.depth", () => _ingestQueue(), description: "Accepted events waiting for the storage writer.");

        // A series appears on its first measurement: start the unlabelled ones (and both connection kinds) at zero, so a
        // scrape shows "0" rather than nothing.
        foreach (var counter in new[] { _eventsIn, _stored, _duplicates, _eventsOut, _dropped, _commands, _authFailures, _rateDelayed })
        {
            counter.Add(0);
        }

        ControllerConnected(0);
        DashboardConnected(0);
    }

    /// <summary>Reports the ingest queue's depth through <paramref name="depth"/>.</summary>
    public void ObserveIngestQueue(Func<int> depth) => _ingestQueue = depth;

    /// <summary>A controller finished hello (+1) or closed (-1).</summary>
    public void ControllerConnected(int delta) => _connections.Add(delta, new KeyValuePair<string, object?>("kind", "controller"));

    /// <summary>A dashboard connected (+1) or closed (-1).</summary>
    public void DashboardConnected(int delta) => _connections.Add(delta, new KeyValuePair<string, object?>("kind", "dashboard"));

    /// <summary>A controller event was accepted.</summary>
    public void EventIn() => _eventsIn.Add(1);

    /// <summary>An event was committed.</summary>
    public void Stored() => _stored.Add(1);

    /// <summary>An event was a repeat.</summary>
    public void Duplicate() => _duplicates.Add(1);

    /// <summary>A frame was sent to a dashboard.</summary>
    public void EventOut() => _eventsOut.Add(1);

    /// <summary>A telemetry frame was dropped from a dashboard queue.</summary>
    public void DroppedTelemetry() => _dropped.Add(1);

    /// <summary>A command was sent to a controller.</summary>
    public void CommandSent() => _commands.Add(1);

    /// <summary>A hello or a dashboard upgrade failed authentication.</summary>
    public void AuthFailed() => _authFailures.Add(1);

    /// <summary>A frame was rejected with an error code.</summary>
    public void Rejected(string code) => _rejected.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>The server closed a dashboard for this reason (queue_overflow, stuck).</summary>
    public void DashboardDisconnected(string reason) => _disconnected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>An authentication attempt was delayed or refused (<paramref name="decision"/>: delayed, refused).</summary>
    public void AuthThrottled(string decision) => _authThrottled.Add(1, new KeyValuePair<string, object?>("decision", decision));

    /// <summary>A controller's next frame waited for its event rate.</summary>
    public void RateDelayed() => _rateDelayed.Add(1);

    /// <summary>A frame went to (out) or came from (in) the other instances.</summary>
    public void BackplaneFrame(string direction) => _backplaneFrames.Add(1, new KeyValuePair<string, object?>("direction", direction));
}
