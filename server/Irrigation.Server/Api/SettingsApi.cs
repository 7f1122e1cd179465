using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Settings;

namespace Irrigation.Server.Api;

/// <summary>
/// /api/devices/{id}/settings: every member reads the settings and their history; the owner saves new versions; an
/// operator may also set a rain delay (a settings change of one key).
/// </summary>
public static class SettingsApi
{
    /// <summary>Most history entries one request returns.</summary>
    public const int MaxHistory = 200;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices/{id}").RequireUser();
        group.MapGet("/settings", GetAsync);
        group.MapPut("/settings", PutAsync);
        group.MapGet("/settings/history", HistoryAsync);
        group.MapPost("/rain-delay", RainDelayAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, SettingsService settings)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Viewer);
        return access is null ? denied! : TypedResults.Ok(await settings.GetAsync(id, context.RequestAborted));
    }

    private static async Task<IResult> PutAsync(string id, SettingsRequest? body, HttpContext context, SettingsService settings)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Owner);
        if (access is null)
        {
            return denied!;
        }

        if (body?.BaseVersion is not int baseVersion || body.Settings is not { } values)
        {
            return TypedResults.BadRequest(new ErrorsResponse(["body must be {\"base_version\": N, \"settings\": {...}} (base_version: the version you edited, 0 for none)"]));
        }

        return ToResult(await settings.UpdateAsync(CurrentUser.Get(context), id, access.Device.Zones, baseVersion, values, ct: context.RequestAborted));
    }

    private static async Task<IResult> RainDelayAsync(string id, RainDelayRequest? body, HttpContext context, SettingsService settings, TimeProvider clock)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Operator);
        if (access is null)
        {
            return denied!;
        }

        if (body?.Until is not long until || (until != 0 && until <= clock.GetUtcNow().ToUnixTimeSeconds()))
        {
            return TypedResults.BadRequest(new ErrorsResponse(["body must be {\"until\": <Unix seconds in the future>}, or {\"until\": 0} to clear the rain delay"]));
        }

        return ToResult(await settings.SetRainDelayAsync(CurrentUser.Get(context), id, access.Device.Zones, until, context.RequestAborted));
    }

    private static async Task<IResult> HistoryAsync(string id, HttpContext context, SettingsService settings)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Viewer);
        if (access is null)
        {
            return denied!;
        }

        var errors = new List<string>();
        var limit = QueryParameters.Integer(context.Request, "limit", 50, errors);
        if (limit is < 1 or > MaxHistory)
        {
            errors.Add($"limit must be between 1 and {MaxHistory}");
        }

        if (errors.Count > 0)
        {
            return TypedResults.BadRequest(new ApiError(string.Join("; ", errors)));
        }

        var versions = await settings.HistoryAsync(id, (int)limit!.Value, context.RequestAborted);
        return TypedResults.Ok(versions.Select(v => new SettingsHistoryItem(v.Version, v.UpdatedBy, v.UpdatedAt, v.Changed)));
    }

    private static IResult ToResult(SettingsChange change) =>
        change.Saved ? TypedResults.Ok(new { version = change.Version })
        : change.Conflict ? TypedResults.Conflict(new { error = $"the settings changed meanwhile: the current version is {change.Version}; reload and edit that", version = change.Version })
        : TypedResults.BadRequest(new ErrorsResponse(change.Errors));
}
