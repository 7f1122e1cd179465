using Irrigation.Server.Auth;

namespace Irrigation.Server.Storage;

/// <summary>Users and devices (tokens stored only as SHA-256 hashes).</summary>
public interface IAccountStore
{
    /// <summary>Creates a user; <see cref="ProvisionError.Duplicate"/> if the id exists.</summary>
    Task<ProvisionResult> CreateUserAsync(string userId, byte[] tokenHash, CancellationToken ct = default);

    /// <summary>Replaces a user's token hash; <see cref="ProvisionError.NotFound"/> if there is no such user.</summary>
    Task<ProvisionResult> SetUserTokenAsync(string userId, byte[] tokenHash, CancellationToken ct = default);

    /// <summary>True when the user exists.</summary>
    Task<bool> UserExistsAsync(string userId, CancellationToken ct = default);

    /// <summary>The user whose token has this hash, or null.</summary>
    Task<string?> FindUserByTokenHashAsync(byte[] tokenHash, CancellationToken ct = default);

    /// <summary>Creates every device or none (one transaction); the result's index names the first bad item.</summary>
    Task<ProvisionResult> AddDevicesAsync(IReadOnlyList<NewDevice> devices, CancellationToken ct = default);

    /// <summary>Replaces a device's token hash.</summary>
    Task<ProvisionResult> SetDeviceTokenAsync(string deviceId, byte[] tokenHash, CancellationToken ct = default);

    /// <summary>Sets the zones of a device (used when a device provisioned without zones reports them in hello).</summary>
    Task SetDeviceZonesAsync(string deviceId, string[] zones, CancellationToken ct = default);

    /// <summary>The device, or null.</summary>
    Task<DeviceRecord?> FindDeviceAsync(string deviceId, CancellationToken ct = default);

    /// <summary>Devices of one owner, or every device when <paramref name="owner"/> is null, ordered by id.</summary>
    Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(string? owner, CancellationToken ct = default);

    /// <summary>Every device the user owns or is a member of, with their role, ordered by id.</summary>
    Task<IReadOnlyList<DeviceAccess>> ListAccessibleDevicesAsync(string userId, CancellationToken ct = default);

    /// <summary>The device and the user's role on it, or null when the user may not see it (or it does not exist).</summary>
    Task<DeviceAccess?> FindDeviceAccessAsync(string deviceId, string userId, CancellationToken ct = default);

    /// <summary>The device's members (not its owner), ordered by user id.</summary>
    Task<IReadOnlyList<DeviceMember>> ListMembersAsync(string deviceId, CancellationToken ct = default);

    /// <summary>Adds a member or changes their role; <see cref="ProvisionError.IsOwner"/> for the owner.</summary>
    Task<ProvisionResult> SetMemberAsync(string deviceId, string userId, DeviceRole role, CancellationToken ct = default);

    /// <summary>Removes a member; <see cref="ProvisionError.NotFound"/> when they were not one.</summary>
    Task<ProvisionResult> RemoveMemberAsync(string deviceId, string userId, CancellationToken ct = default);

    /// <summary>Removes a device with its members, readings and events.</summary>
    Task<ProvisionResult> RemoveDeviceAsync(string deviceId, CancellationToken ct = default);

    /// <summary>Removes a user and their memberships; <see cref="ProvisionError.OwnsDevices"/> while they own devices.</summary>
    Task<ProvisionResult> RemoveUserAsync(string userId, CancellationToken ct = default);

    /// <summary>The current token hash of a user, or null when there is no such user.</summary>
    Task<byte[]?> FindUserTokenHashAsync(string userId, CancellationToken ct = default);

    /// <summary>
    /// A number that changes whenever a token, a membership, a user or a device changes, or devices are added (from any
    /// process: the CLI, another instance), so live connections can be checked again.
    /// </summary>
    Task<long> GetCredentialsVersionAsync(CancellationToken ct = default);
}
