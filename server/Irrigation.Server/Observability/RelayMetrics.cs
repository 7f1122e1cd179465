using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Irrigation.Server.Observability;

/// <summary>
/// Counters of the relay, exposed in Prometheus text format at /metrics. Interlocked counters; the three bumped for
/// every event (in, stored, out to each dashboard) are striped per core.
/// </summary>
public sealed class RelayMetrics
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _disconnected = new(StringComparer.Ordinal);
    private long _controllers;
    private long _dashboards;
    private readonly StripedCounter _eventsIn = new();
    private readonly StripedCounter _eventsStored = new();
    private readonly StripedCounter _eventsOut = new();
    private long _duplicates;
    private long _dropped;
    private long _commands;
    private long _authFailures;

    /// <summary>Controllers connected now (after hello).</summary>
    public long Controllers => Interlocked.Read(ref _controllers);

    /// <summary>Dashboards connected now.</summary>
    public long Dashboards => Interlocked.Read(ref _dashboards);

    /// <summary>Telemetry frames dropped from full dashboard queues.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames written to dashboard sockets.</summary>
    public long EventsOut => _eventsOut.Value;

    /// <summary>Events stored (not counting duplicates).</summary>
    public long EventsStored => _eventsStored.Value;

    /// <summary>Reads the current ingest queue depth (set by the pipeline).</summary>
    public Func<int> IngestQueueDepth { get; set; } = () => 0;

    /// <summary>Reads how many stored readings wait for the series index (set by the index service).</summary>
    public Func<long> SeriesIndexPending { get; set; } = () => 0;

    /// <summary>A controller finished hello (+1) or closed (-1).</summary>
    public void ControllerConnected(int delta) => Interlocked.Add(ref _controllers, delta);

    /// <summary>A dashboard connected (+1) or closed (-1).</summary>
    public void DashboardConnected(int delta) => Interlocked.Add(ref _dashboards, delta);

    /// <summary>A controller event was accepted.</summary>
    public void EventIn() => _eventsIn.Increment();

    /// <summary>An event was committed.</summary>
    public void Stored() => _eventsStored.Increment();

    /// <summary>An event was a repeat of a stored (device, boot, seq).</summary>
    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    /// <summary>A frame was sent to a dashboard.</summary>
    public void EventOut() => _eventsOut.Increment();

    /// <summary>A telemetry frame was dropped from a dashboard queue.</summary>
    public void DroppedTelemetry() => Interlocked.Increment(ref _dropped);

    /// <summary>A command was sent to a controller.</summary>
    public void CommandSent() => Interlocked.Increment(ref _commands);

    /// <summary>A hello or a dashboard upgrade failed authentication.</summary>
    public void AuthFailed() => Interlocked.Increment(ref _authFailures);

    /// <summary>A frame was rejected with an error code.</summary>
    public void Rejected(string code) => _rejected.AddOrUpdate(code, 1, (_, n) => n + 1);

    /// <summary>How many frames were rejected with this code.</summary>
    public long RejectedCount(string code) => _rejected.GetValueOrDefault(code);

    /// <summary>The server closed a dashboard for this reason (queue_overflow, stuck).</summary>
    public void DashboardDisconnected(string reason) => _disconnected.AddOrUpdate(reason, 1, (_, n) => n + 1);

    /// <summary>How many dashboards the server closed for this reason.</summary>
    public long DisconnectedCount(string reason) => _disconnected.GetValueOrDefault(reason);

    /// <summary>The Prometheus text exposition.</summary>
    public string ToPrometheus()
    {
        var s = new StringBuilder();
        Gauge(s, "irrigation_connections", "Open WebSocket connections by kind.",
            ("kind=\"controller\"", Controllers), ("kind=\"dashboard\"", Dashboards));
        Counter(s, "irrigation_events_in_total", "Controller events accepted.", _eventsIn.Value);
        Counter(s, "irrigation_events_stored_total", "Controller events committed to storage.", EventsStored);
        Counter(s, "irrigation_events_duplicate_total", "Repeated (device, boot, seq) acknowledged but not stored again.", Interlocked.Read(ref _duplicates));
        Counter(s, "irrigation_events_out_total", "Frames sent to dashboards.", EventsOut);
        Counter(s, "irrigation_dropped_total", "Telemetry frames dropped from full dashboard queues.", Dropped);
        Counter(s, "irrigation_commands_total", "Commands sent to controllers.", Interlocked.Read(ref _commands));
        Counter(s, "irrigation_auth_failures_total", "Rejected hellos and dashboard upgrades.", Interlocked.Read(ref _authFailures));
        Labeled(s, "irrigation_rejected_total", "counter", "Rejected controller frames by error code.", "code", _rejected);
        Labeled(s, "irrigation_dashboards_disconnected_total", "counter", "Dashboards closed by the server by reason.", "reason", _disconnected);
        Gauge(s, "irrigation_ingest_queue_depth", "Accepted events waiting for the storage writer.", ("", IngestQueueDepth()));
        Gauge(s, "irrigation_series_index_pending", "Stored readings not in the series index yet (history queries scan them).", ("", SeriesIndexPending()));
        return s.ToString();
    }

    private static void Counter(StringBuilder s, string name, string help, long value)
    {
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        s.Append("# TYPE ").Append(name).Append(" counter\n");
        s.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Gauge(StringBuilder s, string name, string help, params (string Labels, long Value)[] samples)
    {
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        s.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in samples)
        {
            s.Append(name);
            if (labels.Length > 0)
            {
                s.Append('{').Append(labels).Append('}');
            }

            s.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Labeled(StringBuilder s, string name, string type, string help, string label, ConcurrentDictionary<string, long> values)
    {
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        s.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            s.Append(name).Append('{').Append(label).Append("=\"").Append(key).Append("\"} ")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
