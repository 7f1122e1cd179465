using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Harness;

/// <summary>
/// The reference a user would pick instead of the product: Mosquitto 2 (Debian's package, started as the tests'
/// <see cref="MosquittoServer"/> with an MQTT-over-WebSocket listener) on 127.0.0.1, anonymous clients, no
/// persistence; MQTTnet clients publish at QoS 1 and subscribe to every device.
/// </summary>
public sealed class MosquittoTarget(MosquittoServer broker) : Target
{
    private readonly Uri _address = new($"ws://127.0.0.1:{broker.WebSocketPort}/");

    /// <inheritdoc />
    public override string Label => "mosquitto-ws";

    /// <inheritdoc />
    public override IReadOnlyList<int> Pids => [broker.ProcessId];

    /// <summary>Starts a broker with a WebSocket listener.</summary>
    public static async Task<MosquittoTarget> StartAsync() => new(await MosquittoServer.StartAsync(webSockets: true));

    /// <inheritdoc />
    public override async Task<LoadController> ConnectControllerAsync(int index, Meter meter, CancellationToken ct) =>
        await MqttController.ConnectAsync(_address, index, meter, ct);

    /// <inheritdoc />
    public override async Task<LoadDashboard> ConnectDashboardAsync(int number, IReadOnlyList<LoadController?> controllers, Meter meter) =>
        await MqttDashboard.ConnectAsync(_address, number, controllers, meter);

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => broker.DisposeAsync();
}
