namespace Irrigation.Benchmarks.Harness;

/// <summary>One number from a server's GET /metrics.</summary>
public static class Metrics
{
    /// <summary>The sample <paramref name="name"/> (labels ignored, summed), or -1 when absent or unreachable.</summary>
    public static async Task<long> ReadAsync(Uri server, string name, params string[] labels)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var value = PrometheusText.Value(await http.GetStringAsync("metrics"), name, labels);
            return value is double v ? (long)v : -1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }
    }
}
