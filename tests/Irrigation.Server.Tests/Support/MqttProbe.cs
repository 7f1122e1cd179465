using System.Buffers;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// Home Assistant's side of the broker, for tests: a real MQTT 5 client that subscribes to everything, keeps every
/// message it received and the retained state of every topic, and publishes commands.
/// </summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Lock _gate = new();
    private readonly List<(string Topic, string Payload, bool Retain)> _messages = [];
    private readonly Dictionary<string, string> _retained = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);

    private MqttProbe(IMqttClient client) => _client = client;

    /// <summary>Every message received, in order.</summary>
    public IReadOnlyList<(string Topic, string Payload, bool Retain)> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Connects to the broker on <paramref name="port"/> and subscribes to <paramref name="filters"/> (retained messages included).</summary>
    public static async Task<MqttProbe> ConnectAsync(int port, params string[] filters)
    {
        var factory = new MqttClientFactory();
        var probe = new MqttProbe(factory.CreateMqttClient());
        probe._client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            var payload = Encoding.UTF8.GetString(m.Payload.ToArray());
            lock (probe._gate)
            {
                probe._messages.Add((m.Topic, payload, m.Retain));
                if (payload.Length == 0)
                {
                    probe._retained.Remove(m.Topic);
                }
                else
                {
                    probe._retained[m.Topic] = payload;
                }
            }

            probe._arrived.Release();
            return Task.CompletedTask;
        };
        await probe._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("probe-" + Guid.NewGuid().ToString("N")[..8]).Build());
        var subscribe = factory.CreateSubscribeOptionsBuilder();
        foreach (var filter in filters.Length == 0 ? ["#"] : filters)
        {
            subscribe.WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS());
        }

        await probe._client.SubscribeAsync(subscribe.Build());
        return probe;
    }

    /// <summary>The last payload seen on <paramref name="topic"/> (null when none, or after an empty one deleted it).</summary>
    public string? Retained(string topic)
    {
        lock (_gate)
        {
            return _retained.GetValueOrDefault(topic);
        }
    }

    /// <summary>Every topic with a payload, under <paramref name="prefix"/>.</summary>
    public Dictionary<string, string> RetainedUnder(string prefix)
    {
        lock (_gate)
        {
            return _retained.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        }
    }

    /// <summary>Publishes a message (QoS 1, not retained unless asked).</summary>
    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Waits until <paramref name="condition"/> holds (checked after each message), or fails naming <paramref name="what"/>.</summary>
    public async Task WaitUntilAsync(Func<MqttProbe, bool> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TestSocket.Patience);
        while (!condition(this))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var seen = string.Join("\n", Messages.TakeLast(30).Select(m => $"  {m.Topic} = {m.Payload}"));
                Assert.Fail($"MQTT: timed out waiting for {what}; last messages:\n{seen}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits for <paramref name="topic"/> to hold <paramref name="payload"/>.</summary>
    public Task WaitForAsync(string topic, string payload, TimeSpan? patience = null) =>
        WaitUntilAsync(p => p.Retained(topic) == payload, $"{topic} = {payload}", patience);

    /// <summary>Waits for a message on <paramref name="topic"/> matching <paramref name="match"/> (after <paramref name="skip"/> earlier ones); returns it as JSON.</summary>
    public async Task<JsonElement> WaitForJsonAsync(string topic, Func<JsonElement, bool> match, string what)
    {
        JsonElement found = default;
        await WaitUntilAsync(p =>
        {
            foreach (var m in p.Messages.Where(m => m.Topic == topic && m.Payload.Length > 0))
            {
                var json = JsonDocument.Parse(m.Payload).RootElement;
                if (match(json))
                {
                    found = json;
                    return true;
                }
            }

            return false;
        }, what);
        return found;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
