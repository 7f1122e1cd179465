using System.Data.Common;

namespace Irrigation.Server.Storage;

/// <summary>Users and devices, the same SQL on both engines (tokens stored only as SHA-256 hashes).</summary>
public sealed class SqlAccountStore(Database database, TimeProvider clock) : IAccountStore
{
    private const string SelectDevice =
        "SELECT d.device_id, u.user_id, d.zones, d.max_duration, d.token_hash FROM devices d JOIN users u ON u.id = d.owner";

    /// <inheritdoc />
    public async Task<ProvisionResult> CreateUserAsync(string userId, byte[] tokenHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var created = await connection.ExecuteAsync(
            "INSERT INTO users(user_id, token_hash, created) VALUES (@u, @h, @c) ON CONFLICT DO NOTHING",
            ("@u", userId), ("@h", tokenHash), ("@c", Now()));
        return new ProvisionResult(created == 1 ? ProvisionError.None : ProvisionError.Duplicate);
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> SetUserTokenAsync(string userId, byte[] tokenHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var updated = await connection.ExecuteAsync("UPDATE users SET token_hash = @h WHERE user_id = @u", ("@u", userId), ("@h", tokenHash));
        return new ProvisionResult(updated == 1 ? ProvisionError.None : ProvisionError.NotFound);
    }

    /// <inheritdoc />
    public async Task<bool> UserExistsAsync(string userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarInt64Async("SELECT 1 FROM users WHERE user_id = @u", null, ("@u", userId)) is not null;
    }

    /// <inheritdoc />
    public async Task<string?> FindUserByTokenHashAsync(byte[] tokenHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var users = await connection.QueryAsync("SELECT user_id FROM users WHERE token_hash = @h", r => r.GetString(0), null, ("@h", tokenHash));
        return users.Count > 0 ? users[0] : null;
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> AddDevicesAsync(IReadOnlyList<NewDevice> devices, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = Now();
        for (var i = 0; i < devices.Count; i++)
        {
            var item = devices[i];
            if (await connection.ScalarInt64Async("SELECT id FROM users WHERE user_id = @u", transaction, ("@u", item.Owner)) is not long owner)
            {
                return new ProvisionResult(ProvisionError.UnknownOwner, i);
            }

            var inserted = await transaction.ExecuteAsync(
                """
                INSERT INTO devices(device_id, owner, token_hash, zones, max_duration, created)
                VALUES (@d, @o, @h, @z, @m, @c) ON CONFLICT DO NOTHING
                """,
                ("@d", item.DeviceId), ("@o", owner), ("@h", item.TokenHash), ("@z", JoinZones(item.Zones)),
                ("@m", item.MaxDurationSeconds), ("@c", now));
            if (inserted != 1)
            {
                // Disposing the transaction rolls it back: all or nothing.
                return new ProvisionResult(ProvisionError.Duplicate, i);
            }
        }

        await transaction.CommitAsync(ct);
        return new ProvisionResult(ProvisionError.None);
    }

    /// <inheritdoc />
    public async Task<ProvisionResult> SetDeviceTokenAsync(string deviceId, byte[] tokenHash, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var updated = await connection.ExecuteAsync("UPDATE devices SET token_hash = @h WHERE device_id = @d", ("@d", deviceId), ("@h", tokenHash));
        return new ProvisionResult(updated == 1 ? ProvisionError.None : ProvisionError.NotFound);
    }

    /// <inheritdoc />
    public async Task SetDeviceZonesAsync(string deviceId, string[] zones, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE devices SET zones = @z WHERE device_id = @d", ("@d", deviceId), ("@z", JoinZones(zones)));
    }

    /// <inheritdoc />
    public async Task<DeviceRecord?> FindDeviceAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var devices = await connection.QueryAsync(SelectDevice + " WHERE d.device_id = @d", ReadDevice, null, ("@d", deviceId));
        return devices.Count > 0 ? devices[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(string? owner, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return owner is null
            ? await connection.QueryAsync(SelectDevice + " ORDER BY d.device_id", ReadDevice)
            : await connection.QueryAsync(SelectDevice + " WHERE u.user_id = @u ORDER BY d.device_id", ReadDevice, null, ("@u", owner));
    }

    private long Now() => clock.GetUtcNow().ToUnixTimeSeconds();

    private static DeviceRecord ReadDevice(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        SplitZones(reader.GetString(2)),
        (int)reader.Int64(3),
        (byte[])reader.GetValue(4));

    // Zone names are validated to [A-Za-z0-9_-], so a comma is a safe separator.
    private static string JoinZones(string[] zones) => string.Join(',', zones);

    private static string[] SplitZones(string zones) => zones.Length == 0 ? [] : zones.Split(',');
}
