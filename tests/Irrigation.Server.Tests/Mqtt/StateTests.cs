namespace Irrigation.Server.Tests.Mqtt;

/// <summary>States follow the controller: readings, status, faults and presence, retained under irrigation/farm-01/.</summary>
public class StateTests
{
    [Fact]
    public async Task States_ControllerEvents_PublishedRetainedInHomeAssistantUnits()
    {
        await using var farm = await MqttFarm.StartAsync();
        await using var controller = await farm.ConnectControllerAsync();
        await farm.Probe.WaitForAsync(MqttFarm.State("availability"), "online");

        await controller.TemperatureAsync(1764547200, 223);
        await controller.SendAsync("humidity", """{"time":1764547200,"record":451}""");
        await controller.SendAsync("soil_moisture", """{"time":1764547200,"record":315,"raw":2100,"zone":"zone1"}""");
        await controller.SendAsync("soil_moisture", """{"time":1764547200,"record":87,"raw":3100}""");
        await controller.SendAsync("status", """{"time":1764547200,"uptime":60,"free_heap":50000,"rssi":-67,"open_zones":[],"buffered":3,"dropped":0}""");
        await controller.SendAsync("sensor_disconnected", """{"time":1764547201,"sensor":"soil_moisture_2"}""");
        await controller.TemperatureAsync(1764547202, -5);

        await farm.Probe.WaitForAsync(MqttFarm.State("temperature"), "-0.5");
        await farm.Probe.WaitForAsync(MqttFarm.State("humidity"), "45.1");
        await farm.Probe.WaitForAsync(MqttFarm.State("soil_moisture/zone1"), "31.5");
        await farm.Probe.WaitForAsync(MqttFarm.State("soil_moisture/unassigned"), "8.7");
        await farm.Probe.WaitForAsync(MqttFarm.State("signal"), "-67");
        await farm.Probe.WaitForAsync(MqttFarm.State("buffered"), "3");
        await farm.Probe.WaitForAsync(MqttFarm.State("sensor/soil_moisture_2/fault"), "ON");
        await farm.Probe.WaitForAsync(MqttFarm.State("sensor/temperature/fault"), "OFF");
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/state"), "closed");
        // Probes and faults appear in Home Assistant as they first report.
        await farm.Probe.WaitUntilAsync(p => p.Retained(MqttFarm.Config("sensor", "soil_zone1")) is not null
            && p.Retained(MqttFarm.Config("sensor", "soil_unassigned")) is not null
            && p.Retained(MqttFarm.Config("binary_sensor", "fault_soil_moisture_2")) is not null, "the probes' and the fault's entities");

        await controller.SendAsync("sensor_reconnected", """{"time":1764547203,"sensor":"soil_moisture_2"}""");
        await farm.Probe.WaitForAsync(MqttFarm.State("sensor/soil_moisture_2/fault"), "OFF");

        // A replayed older reading (the controller's offline buffer) does not replace the newest.
        await controller.TemperatureAsync(1764547100, 150);
        await controller.SendAsync("humidity", """{"time":1764547300,"record":500}""");
        await farm.Probe.WaitForAsync(MqttFarm.State("humidity"), "50.0");
        Assert.Equal("-0.5", farm.Probe.Retained(MqttFarm.State("temperature")));

        await controller.Socket.CloseAsync();
        await farm.Probe.WaitForAsync(MqttFarm.State("availability"), "offline");
        // Retained: whoever subscribes later (Home Assistant after a restart) gets the last values. The broker sends a
        // subscription's retained messages in its own order, so each is awaited rather than read once.
        await using var late = await farm.NewProbeAsync();
        await late.WaitForAsync(MqttFarm.State("temperature"), "-0.5");
        await late.WaitForAsync(MqttFarm.State("availability"), "offline");
    }
}
