using System.Diagnostics;
using System.Globalization;
using System.Net;
using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// A client process of the idle cell (this program run as <c>idle-worker</c>): a process may open at most 20,000
/// files here, so the 18,000 idle controllers are spread over several of these, each from its own loopback source
/// address. It connects its share, prints <c>connected N failed M</c>, answers <c>count</c> with <c>open N</c>,
/// and drops everything when its standard input ends.
/// </summary>
public static class IdleWorker
{
    /// <summary>The arguments that start a worker for devices [from, from + count).</summary>
    public static string[] Arguments(Uri server, string tokensFile, int from, int count, IPAddress source, int parallel) =>
        ["idle-worker", server.ToString(), tokensFile, from.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture),
         source.ToString(), parallel.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Runs the worker (arguments after "idle-worker").</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var server = new Uri(args[0]);
        var tokens = await File.ReadAllLinesAsync(args[1]);
        var from = int.Parse(args[2], CultureInfo.InvariantCulture);
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        using var invoker = TestSocket.BoundTo(IPAddress.Parse(args[4]));
        var parallel = int.Parse(args[5], CultureInfo.InvariantCulture);
        var meter = new Meter();
        var controllers = new WebSocketController?[count];
        var failed = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        await LoadRun.ConnectAllAsync(count, parallel, async i =>
        {
            try
            {
                controllers[i] = await WebSocketController.ConnectAsync(server, from + i, tokens[from + i], meter, invoker);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
            }
        });
        Console.WriteLine($"connected {count - failed} failed {failed} in {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s{(firstError is null ? "" : " first error: " + firstError)}");
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
            if (line == "count")
            {
                Console.WriteLine($"open {controllers.Count(c => c?.IsOpen == true)}");
            }
        }

        await Task.WhenAll(controllers.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask()));
        return 0;
    }
}
