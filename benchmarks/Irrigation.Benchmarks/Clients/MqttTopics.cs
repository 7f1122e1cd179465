using MQTTnet;

namespace Irrigation.Benchmarks.Clients;

/// <summary>The Mosquitto reference's topics and client options.</summary>
public static class MqttTopics
{
    /// <summary>What every dashboard subscribes to: every device's events.</summary>
    public const string AllEvents = "irrigation/+/events";

    /// <summary>The topic a device publishes its events on.</summary>
    public static string Events(string device) => $"irrigation/{device}/events";

    /// <summary>MQTT 3.1.1 over ws://…/mqtt, clean session, the same 30 s keepalive as the product's WebSocket.</summary>
    public static MqttClientOptions Options(Uri broker, string clientId) => new MqttClientOptionsBuilder()
        .WithWebSocketServer(o => o.WithUri(new UriBuilder(broker) { Scheme = "ws", Path = "/mqtt" }.Uri.ToString()))
        .WithClientId(clientId)
        .WithCleanSession(true)
        .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
        .WithTimeout(TimeSpan.FromSeconds(30))
        .Build();
}
