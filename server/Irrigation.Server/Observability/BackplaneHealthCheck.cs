using Irrigation.Server.Relay;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Irrigation.Server.Observability;

/// <summary>Redis answers a ping, when the server runs as one of several instances; "not configured" otherwise.</summary>
public sealed class BackplaneHealthCheck(IRelayBackplane backplane) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (backplane is not Cluster.RedisBackplane redis)
        {
            return HealthCheckResult.Healthy("not configured (single instance)");
        }

        try
        {
            var latency = await redis.PingAsync();
            return HealthCheckResult.Healthy($"redis {redis.Endpoint} ({latency.TotalMilliseconds:0.#} ms)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"redis {redis.Endpoint}: {e.Message}");
        }
    }
}
