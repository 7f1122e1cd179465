using System.Text;
using Irrigation.Core.Protocol;

namespace Irrigation.Server.Api;

/// <summary>GET /api/reading-kinds: the shared core's table of reading kinds, as the dashboard reads it.</summary>
public static class ReadingKindsApi
{
    /// <summary>Maps the endpoint (any signed-in user); the table is compiled in, so its JSON is written once, here.</summary>
    public static IEndpointRouteBuilder MapReadingKindsApi(this IEndpointRouteBuilder app)
    {
        // 4096 characters hold far more kinds than there are; a table outgrowing them fails the start, not a request.
        var json = Encoding.UTF8.GetBytes(ReadingSpecs.ToJson(new JsonWriter(4096))
            ?? throw new InvalidOperationException("the reading kinds table no longer fits 4096 characters of JSON: raise the buffer"));
        app.MapGroup("/api/reading-kinds").RequireUser().MapGet("", () => TypedResults.Bytes(json, "application/json"));
        return app;
    }
}
