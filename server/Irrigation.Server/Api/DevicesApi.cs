using System.Text.Json;
using Irrigation.Server.Relay;
using Irrigation.Server.Storage;
using Irrigation.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Irrigation.Server.Api;

/// <summary>
/// /api/devices: the devices the signed-in user owns or shares, their history and commands. A device the user may
/// not see is 404 either way, so ids of other farms cannot be probed; a viewer's command is 403.
/// </summary>
public static class DevicesApi
{
    /// <summary>Most buckets a readings query may ask for.</summary>
    public const int MaxPoints = 2000;

    /// <summary>Most events one events query returns.</summary>
    public const int MaxEvents = 1000;

    /// <summary>Maps the group.</summary>
    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").RequireUser();
        group.MapGet("", ListAsync);
        group.MapGet("/{id}/readings", ReadingsAsync);
        group.MapGet("/{id}/events", EventsAsync);
        group.MapPost("/{id}/irrigate", IrrigateAsync);
        group.MapPost("/{id}/stop", StopAsync);
        group.MapPost("/{id}/clear-leak", ClearLeakAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IAccountStore accounts, DeviceHubs hubs, TimeProvider clock)
    {
        var devices = await accounts.ListAccessibleDevicesAsync(CurrentUser.Get(context), context.RequestAborted);
        var json = DeviceListJson.Document(await hubs.GetAllAsync(devices), clock.GetUtcNow().ToUnixTimeSeconds());
        return TypedResults.Bytes(json, "application/json");
    }

    private static async Task<IResult> ReadingsAsync(string id, HttpContext context, IEventStore events, TimeProvider clock)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Viewer);
        if (access is null)
        {
            return denied!;
        }

        var device = access.Device;
        var request = context.Request;
        var errors = new List<string>();
        var kindText = request.Query["kind"].ToString();
        if (!ReadingKinds.TryParse(kindText, out var kind))
        {
            errors.Add("kind must be temperature, humidity or soil_moisture");
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var to = QueryParameters.Integer(request, "to", now, errors);
        var from = QueryParameters.Integer(request, "from", (to ?? now) - 86400, errors);
        var points = QueryParameters.Integer(request, "points", 500, errors);
        if (from is long f && to is long t && f >= t)
        {
            errors.Add("from must be smaller than to");
        }

        if (from < 0)
        {
            errors.Add("from must not be negative");
        }

        if (points is < 1 or > MaxPoints)
        {
            errors.Add($"points must be between 1 and {MaxPoints}");
        }

        if (errors.Count > 0)
        {
            return TypedResults.BadRequest(new ApiError(string.Join("; ", errors)));
        }

        // Equal-width buckets; rounding the width up keeps the count at or below points.
        var span = to!.Value - from!.Value;
        var width = Math.Max(1, (span + points!.Value - 1) / points.Value);
        var buckets = await events.GetReadingBucketsAsync(device.DeviceId, kind, from.Value, to.Value, width, context.RequestAborted);
        var rounded = buckets.Select(b => b with { Avg = Math.Round(b.Avg, 2) }).ToList();
        return TypedResults.Ok(new ReadingsResponse(device.DeviceId, kindText, from.Value, to.Value, width, rounded));
    }

    private static async Task<IResult> EventsAsync(string id, HttpContext context, IEventStore events)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Viewer);
        if (access is null)
        {
            return denied!;
        }

        var device = access.Device;
        var request = context.Request;
        var errors = new List<string>();
        var from = QueryParameters.Integer(request, "from", 0, errors);
        var to = QueryParameters.Integer(request, "to", long.MaxValue, errors);
        var limit = QueryParameters.Integer(request, "limit", 100, errors);
        if (from is long f && to is long t && f >= t)
        {
            errors.Add("from must be smaller than to");
        }

        if (limit is < 1 or > MaxEvents)
        {
            errors.Add($"limit must be between 1 and {MaxEvents}");
        }

        var categories = EventCategory.Default;
        var kindText = request.Query["kind"].ToString();
        if (kindText.Length > 0)
        {
            categories = kindText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = categories.Where(c => Array.IndexOf(EventCategory.All, c) < 0).ToList();
            if (unknown.Count > 0)
            {
                errors.Add($"kind must be a comma list of {string.Join(", ", EventCategory.All)}");
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.BadRequest(new ApiError(string.Join("; ", errors)));
        }

        var stored = await events.GetEventsAsync(device.DeviceId, from!.Value, to!.Value, (int)limit!.Value, categories, context.RequestAborted);
        var items = stored.Select(e =>
        {
            using var data = JsonDocument.Parse(e.DataJson);
            return new EventItem(e.Event, device.DeviceId, e.Category, e.Seq, e.Boot, e.Time, e.Received, data.RootElement.Clone());
        }).ToList();
        return TypedResults.Ok(new EventsResponse(device.DeviceId, "newest_first", items));
    }

    private static async Task<IResult> IrrigateAsync(string id, CommandRequest? body, HttpContext context, CommandService commands)
    {
        long? litres = null;
        if (body is not null && !body.TryGetLitres(out litres, out var error))
        {
            return TypedResults.BadRequest(new ApiError(error!));
        }

        return ToResult(await commands.IrrigateAsync(CurrentUser.Get(context), id, body?.Zones, body?.Duration, litres));
    }

    private static async Task<IResult> StopAsync(string id, CommandRequest? body, HttpContext context, CommandService commands) =>
        ToResult(await commands.StopAsync(CurrentUser.Get(context), id, body?.Zones));

    private static async Task<IResult> ClearLeakAsync(string id, HttpContext context, CommandService commands) =>
        ToResult(await commands.ClearLeakAsync(CurrentUser.Get(context), id));

    private static IResult ToResult(CommandOutcome outcome) => outcome.Status switch
    {
        CommandStatus.Sent => TypedResults.Json(new CommandAccepted(outcome.Id!), statusCode: StatusCodes.Status202Accepted),
        CommandStatus.NotFound => TypedResults.NotFound(new ApiError(outcome.Message!)),
        CommandStatus.Forbidden => TypedResults.Json(new ApiError(outcome.Message!), statusCode: StatusCodes.Status403Forbidden),
        CommandStatus.BadRequest => TypedResults.BadRequest(new ApiError(outcome.Message!)),
        CommandStatus.Offline => TypedResults.Conflict(new ApiError(outcome.Message!)),
        _ => TypedResults.Json(new ApiError(outcome.Message!), statusCode: StatusCodes.Status503ServiceUnavailable),
    };
}
