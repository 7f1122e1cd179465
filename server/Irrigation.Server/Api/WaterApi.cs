using Irrigation.Server.Auth;
using Irrigation.Server.Water;

namespace Irrigation.Server.Api;

/// <summary>GET /api/devices/{id}/water?from=&amp;to=&amp;bucket=day|week: the water ledger, every role.</summary>
public static class WaterApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapWaterApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/devices/{id}/water").RequireUser().MapGet("", GetAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, WaterLedger ledger)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Viewer);
        if (access is null)
        {
            return denied!;
        }

        var request = context.Request;
        var errors = new List<string>();
        var from = Optional(request, "from", errors);
        var to = Optional(request, "to", errors);
        var bucket = request.Query["bucket"].ToString();
        WaterBucketSize? size = bucket switch
        {
            "" or "day" => WaterBucketSize.Day,
            "week" => WaterBucketSize.Week,
            _ => null,
        };
        if (size is null)
        {
            errors.Add($"bucket must be day or week (got '{(bucket.Length > 16 ? bucket[..16] + "…" : bucket)}')");
        }

        var report = errors.Count == 0
            ? await ledger.GetAsync(access.Device.DeviceId, access.Device.Zones, from, to, size!.Value, errors, context.RequestAborted)
            : null;
        return report is null ? TypedResults.BadRequest(new ErrorsResponse(errors)) : TypedResults.Bytes(report.ToJson(), "application/json");
    }

    // Absent: null (the ledger's default); not an integer: null and a message.
    private static long? Optional(HttpRequest request, string name, List<string> errors) =>
        request.Query.ContainsKey(name) ? QueryParameters.Integer(request, name, 0, errors) : null;
}
