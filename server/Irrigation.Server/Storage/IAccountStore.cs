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
}
