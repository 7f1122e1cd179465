using System.Buffers;
using Irrigation.Benchmarks.Measurement;
using MQTTnet;
using MQTTnet.Protocol;

namespace Irrigation.Benchmarks.Clients;

/// <summary>A dashboard on MQTT over WebSocket: subscribed to every device's events at QoS 0 (no acks, as the product's dashboards).</summary>
public sealed class MqttDashboard : LoadDashboard
{
    private readonly IMqttClient _client;
    private bool _closed;

    private MqttDashboard(IReadOnlyList<LoadController?> controllers, Meter meter, IMqttClient client)
        : base(controllers, meter)
    {
        _client = client;
    }

    /// <inheritdoc />
    public override bool ClosedByServer => _closed;

    /// <summary>Connects as dashboard-N and subscribes to every device.</summary>
    public static async Task<MqttDashboard> ConnectAsync(Uri broker, int number, IReadOnlyList<LoadController?> controllers, Meter meter)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var dashboard = new MqttDashboard(controllers, meter, client);
        client.ApplicationMessageReceivedAsync += dashboard.OnMessageAsync;
        client.DisconnectedAsync += _ =>
        {
            dashboard._closed = true;
            return Task.CompletedTask;
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(MqttTopics.Options(broker, "dashboard-" + number), timeout.Token);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(MqttTopics.AllEvents, MqttQualityOfServiceLevel.AtMostOnce).Build(), timeout.Token);
        return dashboard;
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var payload = e.ApplicationMessage.Payload;
        var seq = RawFrames.Seq(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
        var topic = e.ApplicationMessage.Topic;
        var at = topic.IndexOf("b-", StringComparison.Ordinal);
        if (seq >= 0 && at >= 0 && int.TryParse(topic.AsSpan(at + 2, 5), out var device))
        {
            Delivered(device, seq);
        }

        return Task.CompletedTask;
    }
}
