using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Irrigation.Server.Mqtt;

/// <summary>The bridge's state in /healthz: connected, on standby, or retrying. Never unhealthy: a dead broker must not take the relay out of a load balancer.</summary>
public sealed class MqttHealthCheck(BrokerLink link) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(link.IsConnected || link.Status.StartsWith("standby", StringComparison.Ordinal)
            ? HealthCheckResult.Healthy(link.Status)
            : HealthCheckResult.Degraded(link.Status));
}
