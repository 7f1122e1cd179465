using Irrigation.Server.Auth;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Api;

/// <summary>GET /api/devices/{id}/audit?limit=: who did what to the device, newest first (every role may read it).</summary>
public static class AuditApi
{
    /// <summary>Most entries one request returns.</summary>
    public const int MaxEntries = 500;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/devices/{id}/audit").RequireUser().MapGet("", ListAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string id, HttpContext context, IAuditLog audit)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Viewer);
        if (access is null)
        {
            return denied!;
        }

        var errors = new List<string>();
        var limit = QueryParameters.Integer(context.Request, "limit", 100, errors);
        if (limit is < 1 or > MaxEntries)
        {
            errors.Add($"limit must be between 1 and {MaxEntries}");
        }

        if (errors.Count > 0)
        {
            return TypedResults.BadRequest(new ApiError(string.Join("; ", errors)));
        }

        var entries = await audit.ListAsync(id, (int)limit!.Value, context.RequestAborted);
        return TypedResults.Ok(entries.Select(e => new AuditItem(e.Time, e.Actor, e.Action, e.Detail, e.Outcome)));
    }
}
