using OpenTelemetry.Metrics;

namespace Irrigation.Server.Observability;

/// <summary>GET /healthz and GET /metrics.</summary>
public static class ObservabilityEndpoints
{
    /// <summary>Registers <see cref="RelayMetrics"/>, the Prometheus exporter and the health checks.</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddSingleton<RelayMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RelayMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<BackplaneHealthCheck>("redis");
        return services;
    }

    /// <summary>GET /healthz: 200 with each dependency's state while storage (and Redis, when configured) answer; 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthResponse.WriteAsync,
        });
        return app;
    }

    /// <summary>GET /metrics: Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
