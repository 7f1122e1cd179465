using System.Text.Json;
using Irrigation.Server.Storage;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>Valves from Home Assistant: the same command path as the dashboard, every attempt answered on the result topic.</summary>
public class CommandTests
{
    private const string Zone1Set = "irrigation/farm-01/zone/zone1/set";
    private const string Result = "irrigation/farm-01/result";

    [Fact]
    public async Task ValveOpen_Controller_IrrigatesAndStateFollowsOnlyTheControllersEvents()
    {
        await using var farm = await MqttFarm.StartAsync();
        await using var controller = await farm.ConnectControllerAsync();
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/state"), "closed");

        await farm.Probe.PublishAsync(Zone1Set, "OPEN");

        var irrigate = await controller.Socket.WaitForEventAsync("irrigate");
        var data = irrigate.GetProperty("data");
        Assert.Equal(["zone1"], data.GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(600, data.GetProperty("duration").GetInt32()); // Mqtt:OpenDurationSeconds, under the device's 1800 s
        var id = data.GetProperty("id").GetString();
        var sent = await farm.Probe.WaitForJsonAsync(Result, r => r.GetProperty("status").GetString() == "sent", "the 'sent' answer");
        Assert.Equal(id, sent.GetProperty("id").GetString());
        // Sent is not open: the valve is open when the controller says so.
        Assert.Equal("closed", farm.Probe.Retained(MqttFarm.State("zone/zone1/state")));

        await controller.SendAsync("command_result", $$"""{"time":1764547200,"id":"{{id}}","ok":true}""");
        await controller.SendAsync("irrigation_started", """{"time":1764547200,"zones":["zone1"],"reason":"manual","duration":600}""");
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/state"), "open");

        await farm.Probe.PublishAsync(Zone1Set, "CLOSE");
        var stop = await controller.Socket.WaitForEventAsync("stop");
        Assert.Equal(["zone1"], stop.GetProperty("data").GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal("open", farm.Probe.Retained(MqttFarm.State("zone/zone1/state")));
        await controller.SendAsync("irrigation_stopped", """{"time":1764547260,"zones":["zone1"],"reason":"manual"}""");
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/state"), "closed");

        // A number of seconds opens for that long.
        await farm.Probe.PublishAsync(Zone1Set, "120");
        await controller.Socket.WaitForAsync(f => TestSocket.Event(f) == "irrigate" && f.GetProperty("data").GetProperty("duration").GetInt32() == 120, "irrigate for 120 s");

        await farm.Probe.WaitUntilAsync(p => p.Messages.Count(m => m.Topic == Result && m.Payload.Contains("\"status\":\"sent\"")) == 3, "three 'sent' answers");
        var audit = await farm.Server.Services.GetRequiredService<IAuditLog>().ListAsync("farm-01", 10);
        Assert.Equal(3, audit.Count(a => a.Actor == "alice" && a.Detail.EndsWith("(via mqtt)", StringComparison.Ordinal) && a.Outcome.StartsWith("sent", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ValveOpen_ViewerBridgeUser_ForbiddenAnsweredAndAuditedNothingSent()
    {
        await using var farm = await MqttFarm.StartAsync(bridgeUser: "victor");
        await using var controller = await farm.ConnectControllerAsync();
        await farm.Probe.WaitUntilAsync(p => p.Retained(MqttFarm.Config("valve", "zone_zone1")) is not null, "the valve");
        // A viewer's valve shows its state and offers no command.
        Assert.False(JsonDocument.Parse(farm.Probe.Retained(MqttFarm.Config("valve", "zone_zone1"))!).RootElement.TryGetProperty("command_topic", out _));

        await farm.Probe.PublishAsync(Zone1Set, "OPEN");

        var answer = await farm.Probe.WaitForJsonAsync(Result, r => r.GetProperty("status").GetString() == "forbidden", "the 'forbidden' answer");
        Assert.Contains("viewer", answer.GetProperty("message").GetString());
        var audit = await farm.Server.Services.GetRequiredService<IAuditLog>().ListAsync("farm-01", 10);
        Assert.Contains(audit, a => a.Actor == "victor" && a.Action == "irrigate" && a.Detail.EndsWith("(via mqtt)", StringComparison.Ordinal) && a.Outcome == "forbidden");
        await Task.Delay(300);
        Assert.DoesNotContain(controller.Socket.Frames, f => TestSocket.Event(f) == "irrigate");
    }

    [Fact]
    public async Task BadInput_EachKind_AnsweredOnTheResultTopicAndTheBridgeCarriesOn()
    {
        await using var farm = await MqttFarm.StartAsync();
        await farm.Probe.WaitUntilAsync(p => p.Retained(MqttFarm.Config("valve", "zone_zone1")) is not null, "the valve");
        (string Topic, string Payload, string ResultTopic, string Status, string Message)[] cases =
        [
            ("irrigation/farm-01/valve/set", "OPEN", Result, "unknown_topic", "not a command topic"),
            ("irrigation/farm-01/zone/zone1/extra/set", "OPEN", Result, "unknown_topic", "not a command topic"),
            (Zone1Set, "FLOOD", Result, "bad_payload", "OPEN, CLOSE or a number of seconds"),
            (Zone1Set, "", Result, "bad_payload", "OPEN, CLOSE or a number of seconds"),
            ("irrigation/farm-01/zone/zone9/set", "OPEN", Result, "bad_request", "unknown zone 'zone9'"),
            (Zone1Set, "99999", Result, "bad_request", "between 1 and 1800 seconds"),
            (Zone1Set, "0", Result, "bad_request", "between 1 and 1800 seconds"),
            (Zone1Set, "OPEN", Result, "offline", "offline"),
            ("irrigation/nosuch/zone/zone1/set", "OPEN", "irrigation/_bridge/result", "not_found", "no device 'nosuch'"),
            ("irrigation/farm-01/rain_delay/set", "MAYBE", Result, "bad_payload", "send ON"),
            ("irrigation/farm-01/rain_delay/extra/set", "ON", Result, "unknown_topic", "ON or OFF to irrigation/DEVICE/rain_delay/set"),
            ("irrigation/nosuch/rain_delay/set", "ON", "irrigation/_bridge/result", "not_found", "no device 'nosuch'"),
        ];

        foreach (var (topic, payload, resultTopic, status, message) in cases)
        {
            var before = farm.Probe.Messages.Count;
            await farm.Probe.PublishAsync(topic, payload);
            await farm.Probe.WaitUntilAsync(p => p.Messages.Skip(before).Any(m => m.Topic == resultTopic),
                $"an answer on {resultTopic} to '{payload}' on {topic}");
            var answer = JsonDocument.Parse(farm.Probe.Messages.Skip(before).First(m => m.Topic == resultTopic).Payload).RootElement;
            Assert.True(status == answer.GetProperty("status").GetString(), $"{topic} '{payload}': {answer}");
            Assert.Contains(message, answer.GetProperty("message").GetString());
            Assert.Equal(topic, answer.GetProperty("topic").GetString());
        }

        // After all that, a good command still works.
        await using var controller = await farm.ConnectControllerAsync();
        await farm.Probe.WaitForAsync(MqttFarm.State("availability"), "online");
        await farm.Probe.PublishAsync(Zone1Set, "OPEN");
        await controller.Socket.WaitForEventAsync("irrigate");
    }
}
