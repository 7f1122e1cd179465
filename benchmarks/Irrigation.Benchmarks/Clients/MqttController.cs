using Irrigation.Benchmarks.Measurement;
using MQTTnet;
using MQTTnet.Protocol;

namespace Irrigation.Benchmarks.Clients;

/// <summary>
/// A load controller on MQTT over WebSocket (MQTTnet), for the Mosquitto reference: the same temperature frame,
/// published at QoS 1 to irrigation/b-NNNNN/events; the broker's PUBACK is the ack, and the same window of
/// unacknowledged messages applies.
/// </summary>
public sealed class MqttController : LoadController
{
    private readonly IMqttClient _client;
    private readonly string _topic;

    private MqttController(int index, Meter meter, IMqttClient client)
        : base(index, meter)
    {
        _client = client;
        _topic = MqttTopics.Events(DeviceIds.Of(index));
    }

    /// <inheritdoc />
    public override bool IsOpen => _client.IsConnected;

    /// <summary>Connects as client b-NNNNN (clean session, no credentials: the broker allows anonymous clients).</summary>
    public static async Task<MqttController> ConnectAsync(Uri broker, int index, Meter meter, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(MqttTopics.Options(broker, DeviceIds.Of(index)), ct);
        return new MqttController(index, meter, client);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException)
        {
        }

        _client.Dispose();
    }

    /// <inheritdoc />
    protected override ValueTask<bool> SendAsync(long seq, long time, int record)
    {
        if (!_client.IsConnected)
        {
            return ValueTask.FromResult(false);
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topic)
            .WithPayloadSegment(TestController.TemperatureFrame(seq, time, record))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        // The publish completes with the PUBACK; the next one does not wait for it (the window does).
        _ = AckLaterAsync(_client.PublishAsync(message, CancellationToken.None), seq);
        return ValueTask.FromResult(true);
    }

    private async Task AckLaterAsync(Task<MqttClientPublishResult> publish, long seq)
    {
        try
        {
            if ((await publish).IsSuccess)
            {
                AckedOne(seq);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
