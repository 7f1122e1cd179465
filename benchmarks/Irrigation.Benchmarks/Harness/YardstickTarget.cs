using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Harness;

/// <summary>This program's minimal relay (Yardstick/MinimalRelay.cs) as a child process: no auth, no storage.</summary>
public sealed class YardstickTarget(ServerProcess server) : Target
{
    /// <inheritdoc />
    public override string Label => "yardstick";

    /// <inheritdoc />
    public override IReadOnlyList<int> Pids => [server.Pid];

    /// <summary>Starts `dotnet Irrigation.Benchmarks.dll yardstick-serve`.</summary>
    public static async Task<YardstickTarget> StartAsync() =>
        new(await ServerProcess.StartAsync(new ServerLaunch { Dll = typeof(YardstickTarget).Assembly.Location, Command = ["yardstick-serve"] }));

    /// <inheritdoc />
    public override async Task<LoadController> ConnectControllerAsync(int index, Meter meter, CancellationToken ct) =>
        await WebSocketController.ConnectAsync(server.Address, index, "none", meter);

    /// <inheritdoc />
    public override async Task<LoadDashboard> ConnectDashboardAsync(int number, IReadOnlyList<LoadController?> controllers, Meter meter) =>
        await WebSocketDashboard.ConnectAsync(new Uri(server.WebSocketAddress, "clients/" + DeviceIds.User), controllers, meter);

    /// <inheritdoc />
    public override async Task<long> DroppedAsync() => await Metrics.ReadAsync(server.Address, "irrigation_dropped_total");

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => server.DisposeAsync();
}
