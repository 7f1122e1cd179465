using Irrigation.Server.Auth;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Api;

/// <summary>
/// The device of a request as its user may use it: a device the user neither owns nor shares is 404 (ids of other
/// farms cannot be probed), a role below what the endpoint needs is 403.
/// </summary>
public static class DeviceAuthorization
{
    /// <summary>The device and the user's role, or the error result to return.</summary>
    public static async Task<(DeviceAccess? Access, IResult? Error)> AuthorizeDeviceAsync(
        this HttpContext context, string deviceId, DeviceRole needed)
    {
        var accounts = context.RequestServices.GetRequiredService<IAccountStore>();
        var user = CurrentUser.Get(context);
        var access = await accounts.FindDeviceAccessAsync(deviceId, user, context.RequestAborted);
        if (access is null)
        {
            return (null, TypedResults.NotFound(new ApiError($"no device '{deviceId}'")));
        }

        if (access.Role < needed)
        {
            return (null, TypedResults.Json(
                new ApiError($"'{user}' is {Article(access.Role)} {access.Role.ToWire()} of '{deviceId}': this needs the {needed.ToWire()}{(needed == DeviceRole.Owner ? "" : " role or more")}"),
                statusCode: StatusCodes.Status403Forbidden));
        }

        return (access, null);
    }

    private static string Article(DeviceRole role) => role == DeviceRole.Owner ? "the" : role == DeviceRole.Operator ? "an" : "a";
}
