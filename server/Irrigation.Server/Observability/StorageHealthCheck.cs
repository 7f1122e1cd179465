using Irrigation.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Irrigation.Server.Observability;

/// <summary>Storage answers a query (SQLite file or PostgreSQL server).</summary>
public sealed class StorageHealthCheck(Database database) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ScalarInt64Async("SELECT COUNT(*) FROM schema_version", null);
            return HealthCheckResult.Healthy($"{database.Engine} {database.Location}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{database.Engine} {database.Location}: {e.Message}");
        }
    }
}
