using System.Diagnostics;
using System.Net.Sockets;
using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Harness;

/// <summary>
/// The reference a user would pick instead of the product: Mosquitto 2 (Debian's package) with one WebSocket
/// listener on 127.0.0.1, anonymous clients, no persistence; MQTTnet clients publish at QoS 1 and subscribe to every
/// device.
/// </summary>
public sealed class MosquittoTarget : Target
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly Uri _address;

    private MosquittoTarget(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        _address = new Uri($"ws://127.0.0.1:{port}/");
    }

    /// <inheritdoc />
    public override string Label => "mosquitto-ws";

    /// <inheritdoc />
    public override IReadOnlyList<int> Pids => [_process.Id];

    /// <summary>Writes a config file in a temp folder and starts /usr/sbin/mosquitto -c FILE.</summary>
    public static async Task<MosquittoTarget> StartAsync()
    {
        var binary = ServerBinaries.Find("mosquitto", "/usr/sbin/mosquitto");
        var dir = Path.Combine(Path.GetTempPath(), "irrigation-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var port = ServerBinaries.FreePort();
        var config = Path.Combine(dir, "mosquitto.conf");
        // Mosquitto 2.0.11 refuses to start with a websockets listener alone ("Unable to start any listening
        // sockets"): a plain MQTT listener, which no client uses, comes first. socket_domain ipv4: without it a
        // websockets listener binds every interface, whatever its address. set_tcp_nodelay: the product's Kestrel
        // and the clients send without Nagle's delay too.
        await File.WriteAllTextAsync(config, $"""
            listener {ServerBinaries.FreePort()} 127.0.0.1
            listener {port} 127.0.0.1
            protocol websockets
            socket_domain ipv4
            allow_anonymous true
            persistence false
            set_tcp_nodelay true
            log_dest stderr
            log_type error
            log_type warning
            """);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && Environment.GetEnvironmentVariable("BENCH_ECHO_SERVER") == "1")
            {
                Console.WriteLine("[mosquitto] " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return new MosquittoTarget(process, dir, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <inheritdoc />
    public override async Task<LoadController> ConnectControllerAsync(int index, Meter meter, CancellationToken ct) =>
        await MqttController.ConnectAsync(_address, index, meter, ct);

    /// <inheritdoc />
    public override async Task<LoadDashboard> ConnectDashboardAsync(int number, IReadOnlyList<LoadController?> controllers, Meter meter) =>
        await MqttDashboard.ConnectAsync(_address, number, controllers, meter);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
