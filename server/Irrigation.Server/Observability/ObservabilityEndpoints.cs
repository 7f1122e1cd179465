namespace Irrigation.Server.Observability;

/// <summary>GET /healthz and GET /metrics.</summary>
public static class ObservabilityEndpoints
{
    /// <summary>Registers <see cref="RelayMetrics"/>.</summary>
    public static IServiceCollection AddObservability(this IServiceCollection services) => services.AddSingleton<RelayMetrics>();

    /// <summary>GET /healthz: 200 while the server runs.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        return app;
    }

    /// <summary>GET /metrics: Prometheus text format 0.0.4.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (RelayMetrics metrics) =>
            TypedResults.Text(metrics.ToPrometheus(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
