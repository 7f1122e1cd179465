using Irrigation.Server.Storage;

namespace Irrigation.Server.Auth;

/// <summary>
/// Shared farms: the owner gives other users the operator or viewer role on a device, or takes it back. Used by the
/// dashboard's API and the CLI alike; every change is audited, and the users it concerns have their dashboards
/// re-checked (a removed member's are closed within a second).
/// </summary>
public sealed class Sharing(IAccountStore accounts, IAuditLog audit, CredentialChanges changes, TimeProvider clock)
{
    /// <summary>Gives <paramref name="userId"/> <paramref name="role"/> on the device; null on success, else what is wrong.</summary>
    public async Task<string?> ShareAsync(string actor, string deviceId, string userId, DeviceRole role, CancellationToken ct = default)
    {
        var result = await accounts.SetMemberAsync(deviceId, userId, role, ct);
        var error = result.Error switch
        {
            ProvisionError.None => null,
            ProvisionError.IsOwner => $"'{userId}' owns '{deviceId}' already",
            _ => await accounts.FindDeviceAsync(deviceId, ct) is null ? $"no device '{deviceId}'" : $"no user '{userId}' (create it with: users add {userId})",
        };
        await RecordAsync(actor, deviceId, "share", $"{userId} as {role.ToWire()}", error, ct);
        return error;
    }

    /// <summary>Takes <paramref name="userId"/>'s membership away; null on success, else what is wrong.</summary>
    public async Task<string?> UnshareAsync(string actor, string deviceId, string userId, CancellationToken ct = default)
    {
        var result = await accounts.RemoveMemberAsync(deviceId, userId, ct);
        var error = result.Ok ? null : $"'{userId}' is not a member of '{deviceId}'";
        await RecordAsync(actor, deviceId, "unshare", userId, error, ct);
        return error;
    }

    private async Task RecordAsync(string actor, string deviceId, string action, string detail, string? error, CancellationToken ct)
    {
        if (error is null)
        {
            changes.Notify();
        }

        await audit.RecordAsync(new AuditEntry(clock.GetUtcNow().ToUnixTimeSeconds(), deviceId, actor, action, detail, error ?? "ok"), ct);
    }
}
