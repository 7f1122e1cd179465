using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Irrigation.Server.Observability;

/// <summary>The body of /healthz: <c>{"status":"ok","checks":{"storage":{"status":"ok","detail":"sqlite …"},…}}</c>.</summary>
public static class HealthResponse
{
    /// <summary>Writes the report as JSON.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = Status(report.Status),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = Status(e.Value.Status), detail = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "unavailable",
    };
}
