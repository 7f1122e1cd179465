using Irrigation.Server.Auth;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Api;

/// <summary>
/// /api/devices/{id}/members: the owner shares a device (operator or viewer) and takes it back. Owner only: anyone
/// else who sees the device gets 403, anyone else 404.
/// </summary>
public static class MembersApi
{
    /// <summary>Maps the group.</summary>
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices/{id}/members").RequireUser();
        group.MapGet("", ListAsync);
        group.MapPut("/{userId}", PutAsync);
        group.MapDelete("/{userId}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string id, HttpContext context, IAccountStore accounts)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Owner);
        if (access is null)
        {
            return denied!;
        }

        var members = await accounts.ListMembersAsync(id, context.RequestAborted);
        return TypedResults.Ok(new MembersResponse(id, access.Device.Owner, [.. members.Select(m => new MemberItem(m.UserId, m.Role.ToWire(), m.Added))]));
    }

    private static async Task<IResult> PutAsync(string id, string userId, MemberRequest? body, HttpContext context, Sharing sharing)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Owner);
        if (access is null)
        {
            return denied!;
        }

        if (!DeviceRoles.TryParseMember(body?.Role, out var role))
        {
            return TypedResults.BadRequest(new ApiError("body must be {\"role\": \"operator\"} or {\"role\": \"viewer\"}"));
        }

        var error = await sharing.ShareAsync(CurrentUser.Get(context), id, userId, role, context.RequestAborted);
        return error is null
            ? TypedResults.Ok(new MemberItem(userId, role.ToWire(), null))
            : error.StartsWith("no user", StringComparison.Ordinal) ? TypedResults.NotFound(new ApiError(error)) : TypedResults.BadRequest(new ApiError(error));
    }

    private static async Task<IResult> DeleteAsync(string id, string userId, HttpContext context, Sharing sharing)
    {
        var (access, denied) = await context.AuthorizeDeviceAsync(id, DeviceRole.Owner);
        if (access is null)
        {
            return denied!;
        }

        var error = await sharing.UnshareAsync(CurrentUser.Get(context), id, userId, context.RequestAborted);
        return error is null ? TypedResults.NoContent() : TypedResults.NotFound(new ApiError(error));
    }
}
