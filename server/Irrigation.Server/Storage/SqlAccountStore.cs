using System.Data.Common;
using Irrigation.Server.Auth;

namespace Irrigation.Server.Storage;

/// <summary>Users and devices, the same SQL on both engines (tokens stored only as SHA-256 hashes).</summary>
public sealed class SqlAccountStore(Database database, TimeProvider clock) : IAccountStore
{
    private const string SelectDevice = "SELECT d.device_id, u.user_id, d.zones, d.max_duration, d.token_hash";

    private const string FromDevices = " FROM devices d JOIN users u ON u.id = d.owner";

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
    public Task<ProvisionResult> SetUserTokenAsync(string userId, byte[] tokenHash, CancellationToken ct = default) =>
        ChangeCredentialsAsync(async t =>
            await t.ExecuteAsync("UPDATE users SET token_hash = @h WHERE user_id = @u", ("@u", userId), ("@h", tokenHash)) == 1
                ? ProvisionError.None : ProvisionError.NotFound, ct);

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

        // The owners' open dashboards learn of their new devices (they reconnect for a snapshot that shows them).
        await RaiseCredentialsVersionAsync(transaction);
        await transaction.CommitAsync(ct);
        return new ProvisionResult(ProvisionError.None);
    }

    /// <inheritdoc />
    public Task<ProvisionResult> SetDeviceTokenAsync(string deviceId, byte[] tokenHash, CancellationToken ct = default) =>
        ChangeCredentialsAsync(async t =>
            await t.ExecuteAsync("UPDATE devices SET token_hash = @h WHERE device_id = @d", ("@d", deviceId), ("@h", tokenHash)) == 1
                ? ProvisionError.None : ProvisionError.NotFound, ct);

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
        var devices = await connection.QueryAsync(SelectDevice + FromDevices + " WHERE d.device_id = @d", ReadDevice, null, ("@d", deviceId));
        return devices.Count > 0 ? devices[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(string? owner, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return owner is null
            ? await connection.QueryAsync(SelectDevice + FromDevices + " ORDER BY d.device_id", ReadDevice)
            : await connection.QueryAsync(SelectDevice + FromDevices + " WHERE u.user_id = @u ORDER BY d.device_id", ReadDevice, null, ("@u", owner));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeviceAccess>> ListAccessibleDevicesAsync(string userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryAsync(
            $"""
            {SelectDevice}, 'owner' FROM devices d JOIN users u ON u.id = d.owner WHERE u.user_id = @u
            UNION ALL
            {SelectDevice}, m.role FROM devices d JOIN users u ON u.id = d.owner
                JOIN device_members m ON m.device = d.id JOIN users mu ON mu.id = m.member WHERE mu.user_id = @u
            ORDER BY 1
            """,
            ReadAccess, null, ("@u", userId));
    }

    /// <inheritdoc />
    public async Task<DeviceAccess?> FindDeviceAccessAsync(string deviceId, string userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await connection.QueryAsync(
            $"""
            {SelectDevice}, CASE WHEN u.user_id = @u THEN 'owner' ELSE m.role END
            FROM devices d JOIN users u ON u.id = d.owner
                LEFT JOIN device_members m ON m.device = d.id AND m.member = (SELECT id FROM users WHERE user_id = @u)
            WHERE d.device_id = @d AND (u.user_id = @u OR m.role IS NOT NULL)
            """,
            ReadAccess, null, ("@d", deviceId), ("@u", userId));
        return found.Count > 0 ? found[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeviceMember>> ListMembersAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryAsync(
            """
            SELECT u.user_id, m.role, m.added FROM device_members m
                JOIN devices d ON d.id = m.device JOIN users u ON u.id = m.member
            WHERE d.device_id = @d ORDER BY u.user_id
            """,
            r => new DeviceMember(r.GetString(0), ParseRole(r.GetString(1)), r.Int64(2)), null, ("@d", deviceId));
    }

    /// <inheritdoc />
    public Task<ProvisionResult> SetMemberAsync(string deviceId, string userId, DeviceRole role, CancellationToken ct = default) =>
        ChangeCredentialsAsync(async t =>
        {
            var connection = t.Connection!;
            var device = await connection.QueryAsync(
                "SELECT d.id, u.user_id FROM devices d JOIN users u ON u.id = d.owner WHERE d.device_id = @d",
                r => (Id: r.Int64(0), Owner: r.GetString(1)), t, ("@d", deviceId));
            var member = await connection.ScalarInt64Async("SELECT id FROM users WHERE user_id = @u", t, ("@u", userId));
            if (device.Count == 0 || member is null)
            {
                return ProvisionError.NotFound;
            }

            if (device[0].Owner == userId)
            {
                return ProvisionError.IsOwner;
            }

            await t.ExecuteAsync(
                """
                INSERT INTO device_members(device, member, role, added) VALUES (@d, @m, @r, @t)
                ON CONFLICT (device, member) DO UPDATE SET role = excluded.role
                """,
                ("@d", device[0].Id), ("@m", member), ("@r", role.ToWire()), ("@t", Now()));
            return ProvisionError.None;
        }, ct);

    /// <inheritdoc />
    public Task<ProvisionResult> RemoveMemberAsync(string deviceId, string userId, CancellationToken ct = default) =>
        ChangeCredentialsAsync(async t =>
            await t.ExecuteAsync(
                """
                DELETE FROM device_members
                WHERE device = (SELECT id FROM devices WHERE device_id = @d) AND member = (SELECT id FROM users WHERE user_id = @u)
                """,
                ("@d", deviceId), ("@u", userId)) == 1 ? ProvisionError.None : ProvisionError.NotFound, ct);

    /// <inheritdoc />
    public Task<ProvisionResult> RemoveDeviceAsync(string deviceId, CancellationToken ct = default) =>
        ChangeCredentialsAsync(async t =>
        {
            if (await t.Connection!.ScalarInt64Async("SELECT id FROM devices WHERE device_id = @d", t, ("@d", deviceId)) is not long key)
            {
                return ProvisionError.NotFound;
            }

            // Its history goes with it (the audit trail, keyed by name, stays).
            foreach (var table in new[] { "readings", "events", "water", "streams", "device_members", "settings_versions", "settings_state" })
            {
                await t.ExecuteAsync($"DELETE FROM {table} WHERE device = @k", ("@k", key));
            }

            await t.ExecuteAsync("DELETE FROM devices WHERE id = @k", ("@k", key));
            return ProvisionError.None;
        }, ct);

    /// <inheritdoc />
    public Task<ProvisionResult> RemoveUserAsync(string userId, CancellationToken ct = default) =>
        ChangeCredentialsAsync(async t =>
        {
            var connection = t.Connection!;
            if (await connection.ScalarInt64Async("SELECT id FROM users WHERE user_id = @u", t, ("@u", userId)) is not long key)
            {
                return ProvisionError.NotFound;
            }

            if (await connection.ScalarInt64Async("SELECT COUNT(*) FROM devices WHERE owner = @k", t, ("@k", key)) > 0)
            {
                return ProvisionError.OwnsDevices;
            }

            await t.ExecuteAsync("DELETE FROM device_members WHERE member = @k", ("@k", key));
            await t.ExecuteAsync("DELETE FROM users WHERE id = @k", ("@k", key));
            return ProvisionError.None;
        }, ct);

    /// <inheritdoc />
    public async Task<byte[]?> FindUserTokenHashAsync(string userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var hashes = await connection.QueryAsync("SELECT token_hash FROM users WHERE user_id = @u", r => (byte[])r.GetValue(0), null, ("@u", userId));
        return hashes.Count > 0 ? hashes[0] : null;
    }

    /// <inheritdoc />
    public async Task<long> GetCredentialsVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarInt64Async("SELECT value FROM counters WHERE name = 'credentials'", null) ?? 0;
    }

    // A change of who may connect or see what: made, and the credentials version raised, in one transaction.
    private async Task<ProvisionResult> ChangeCredentialsAsync(Func<DbTransaction, Task<ProvisionError>> change, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var error = await change(transaction);
        if (error != ProvisionError.None)
        {
            return new ProvisionResult(error);
        }

        await RaiseCredentialsVersionAsync(transaction);
        await transaction.CommitAsync(ct);
        return new ProvisionResult(ProvisionError.None);
    }

    private static Task RaiseCredentialsVersionAsync(DbTransaction transaction) =>
        transaction.ExecuteAsync(
            "INSERT INTO counters(name, value) VALUES ('credentials', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1");

    private static DeviceAccess ReadAccess(DbDataReader reader) =>
        new(ReadDevice(reader), reader.GetString(5) == "owner" ? DeviceRole.Owner : ParseRole(reader.GetString(5)));

    private static DeviceRole ParseRole(string text) => DeviceRoles.TryParseMember(text, out var role) ? role : DeviceRole.Viewer;

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
