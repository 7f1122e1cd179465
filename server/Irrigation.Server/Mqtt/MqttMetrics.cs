using System.Diagnostics.Metrics;
using Irrigation.Server.Observability;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The bridge's instruments, on the relay's meter (<see cref="RelayMetrics.MeterName"/>), so /metrics shows them
/// beside the relay's: <c>irrigation_mqtt_connected</c>, <c>irrigation_mqtt_published_total</c>,
/// <c>irrigation_mqtt_dropped_total</c>, <c>irrigation_mqtt_connects_total{result}</c>,
/// <c>irrigation_mqtt_commands_total{status}</c>, <c>irrigation_mqtt_queue_depth</c>.
/// </summary>
public sealed class MqttMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _commands;
    private Func<int> _queue = () => 0;
    private volatile bool _connected;

    /// <summary>Creates the instruments on the relay's meter.</summary>
    public MqttMetrics(IMeterFactory meters)
    {
        // The factory hands out the one meter of this name, so these join the relay's instruments in the exporter.
        var meter = meters.Create(RelayMetrics.MeterName);
        _published = meter.CreateCounter<long>("irrigation.mqtt.published", description: "Messages the MQTT bridge published (states, discovery, results).");
        _dropped = meter.CreateCounter<long>("irrigation.mqtt.dropped", description: "Device changes dropped from the MQTT bridge's full queue (oldest first).");
        _connects = meter.CreateCounter<long>("irrigation.mqtt.connects", description: "Connection attempts to the MQTT broker by result (ok, failed).");
        _commands = meter.CreateCounter<long>("irrigation.mqtt.commands", description: "Commands received over MQTT by status (sent, forbidden, bad_request, offline, ...).");
        meter.CreateObservableGauge("irrigation.mqtt.connected", () => _connected ? 1 : 0, description: "1 while this instance's MQTT bridge is connected to the broker.");
        meter.CreateObservableGauge("irrigation.mqtt.queue.depth", () => _queue(), description: "Device changes waiting for the MQTT bridge.");
        _published.Add(0);
        _dropped.Add(0);
    }

    /// <summary>Reports the change queue's depth through <paramref name="depth"/>.</summary>
    public void ObserveQueue(Func<int> depth) => _queue = depth;

    /// <summary>A message went to the broker.</summary>
    public void Published(int count = 1) => _published.Add(count);

    /// <summary>A device change was dropped from the full queue.</summary>
    public void ChangeDropped() => _dropped.Add(1);

    /// <summary>A connection attempt ended (<paramref name="ok"/>), and the bridge is now connected or not.</summary>
    public void Connect(bool ok) => _connects.Add(1, new KeyValuePair<string, object?>("result", ok ? "ok" : "failed"));

    /// <summary>The bridge is connected (or no longer).</summary>
    public void Connected(bool connected) => _connected = connected;

    /// <summary>A command from MQTT ended with <paramref name="status"/>.</summary>
    public void Command(string status) => _commands.Add(1, new KeyValuePair<string, object?>("status", status));
}
