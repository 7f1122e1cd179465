using System.Diagnostics.Metrics;
using Irrigation.Server.Mqtt;
using Irrigation.Server.Relay;
using Irrigation.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>The bridge's small parts on their own: settings, topics, payloads, the bounded change queue.</summary>
public class BridgeUnitTests
{
    [Theory]
    [InlineData("mqtt://broker.lan", "broker.lan", 1883, false)]
    [InlineData("mqtt://127.0.0.1:1884", "127.0.0.1", 1884, false)]
    [InlineData("mqtts://broker.example.com", "broker.example.com", 8883, true)]
    [InlineData("mqtts://[::1]:9000/", "::1", 9000, true)]
    public void BrokerAddress_Valid_Parsed(string server, string host, int port, bool tls) =>
        Assert.Equal(new BrokerAddress(host, port, tls), BrokerAddress.Parse(server));

    [Theory]
    [InlineData("broker.lan:1883")]
    [InlineData("http://broker.lan")]
    [InlineData("mqtt://user:secret@broker.lan")]
    [InlineData("mqtt://broker.lan/path")]
    public void BrokerAddress_Invalid_FailsWithWhatToWrite(string server)
    {
        var e = Assert.Throws<InvalidOperationException>(() => BrokerAddress.Parse(server));
        Assert.Contains("mqtt://host:port", e.Message);
    }

    [Theory]
    [InlineData("", "homeassistant", "Mqtt:BaseTopic")]
    [InlineData("irrigation/", "homeassistant", "Mqtt:BaseTopic")]
    [InlineData("irr/#", "homeassistant", "Mqtt:BaseTopic")]
    [InlineData("irrigation", "home+assistant", "Mqtt:DiscoveryPrefix")]
    public void Topics_BadSetting_FailsNamingIt(string baseTopic, string prefix, string setting)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MqttTopics(baseTopic, prefix));
        Assert.StartsWith(setting, e.Message);
    }

    [Fact]
    public void Topics_NestedBaseAndOddNames_SafeForDiscoveryAndDistinct()
    {
        var topics = new MqttTopics("farm/irrigation", "homeassistant");
        Assert.Matches("^farm_irrigation_[0-9a-f]{8}$", topics.NodeId);
        Assert.Matches("^homeassistant/sensor/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/config$", topics.Config("sensor", "farm.01", "temperature"));
        Assert.NotEqual(MqttTopics.Key("farm.01"), MqttTopics.Key("farm_01"));
        Assert.Equal("zone-1_b", MqttTopics.Key("zone-1_b"));
        Assert.True(topics.TryParseZoneCommand("farm/irrigation/farm.01/zone/zone1/set", out var device, out var zone));
        Assert.Equal(("farm.01", "zone1"), (device, zone));
        Assert.False(topics.TryParseZoneCommand("farm/irrigation/farm.01/zone/set", out device, out _));
        Assert.Equal("farm.01", device);
        Assert.False(topics.IsCommand("farm/irrigation/farm.01/result"));
    }

    [Theory]
    [InlineData("OPEN", true, true, null)]
    [InlineData(" open\n", true, true, null)]
    [InlineData("CLOSE", true, false, null)]
    [InlineData("300", true, true, 300)]
    [InlineData("-5", true, true, -5)]
    [InlineData("3.5", false, false, null)]
    [InlineData("FLOOD", false, false, null)]
    [InlineData("", false, false, null)]
    public void Commands_Payload_ParsedOrRefused(string payload, bool ok, bool open, int? seconds)
    {
        Assert.Equal(ok, MqttCommands.TryParse(System.Text.Encoding.UTF8.GetBytes(payload), out var isOpen, out var s));
        Assert.Equal((open, seconds), (isOpen, s));
    }

    [Fact]
    public void Commands_PayloadNotUtf8OrTooLong_Refused()
    {
        Assert.False(MqttCommands.TryParse([0xff, 0xfe, 0x4f], out _, out _));
        Assert.False(MqttCommands.TryParse(new byte[MqttCommands.MaxPayloadBytes + 1], out _, out _));
    }

    [Fact]
    public void ChangeFeed_Full_DropsTheOldestAndCountsIt()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new MqttMetrics(services.GetRequiredService<IMeterFactory>());
        long dropped = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "irrigation.mqtt.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();
        var feed = new DeviceChangeFeed(2, metrics);
        var hub = new DeviceHub(new DeviceState(new DeviceRecord("farm-01", "alice", ["zone1"], 1800, []), new DeviceLatest(null, [], []),
            new RateLimiter(10, 10, TimeProvider.System), 0));

        for (var i = 1; i <= 5; i++)
        {
            feed.Published(hub, new DeviceUpdate("temperature", i, i) { Kind = ReadingKind.Temperature, Value = i }, []);
        }

        Assert.Equal(3, Interlocked.Read(ref dropped));
        Assert.True(feed.Reader.TryRead(out var first));
        Assert.True(feed.Reader.TryRead(out var second));
        Assert.Equal((4, 5), (first.Update.Value, second.Update.Value));
    }
}
