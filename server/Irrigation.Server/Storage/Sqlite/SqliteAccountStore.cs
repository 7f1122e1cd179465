using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>Users and devices in SQLite. Microsoft.Data.Sqlite is synchronous inside; the tasks complete at once.</summary>
public sealed class SqliteAccountStore(SqliteDatabase database) : IAccountStore
{
    /// <inheritdoc />
    public Task<ProvisionResult> CreateUserAsync(string userId, byte[] tokenHash, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO users(user_id, token_hash, created) VALUES ($u, $h, unixepoch())";
        insert.Parameters.AddWithValue("$u", userId);
        insert.Parameters.AddWithValue("$h", tokenHash);
        return Task.FromResult(new ProvisionResult(insert.ExecuteNonQuery() == 1 ? ProvisionError.None : ProvisionError.Duplicate));
    }

    /// <inheritdoc />
    public Task<ProvisionResult> SetUserTokenAsync(string userId, byte[] tokenHash, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE users SET token_hash = $h WHERE user_id = $u";
        update.Parameters.AddWithValue("$u", userId);
        update.Parameters.AddWithValue("$h", tokenHash);
        return Task.FromResult(new ProvisionResult(update.ExecuteNonQuery() == 1 ? ProvisionError.None : ProvisionError.NotFound));
    }

    /// <inheritdoc />
    public Task<bool> UserExistsAsync(string userId, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT 1 FROM users WHERE user_id = $u";
        query.Parameters.AddWithValue("$u", userId);
        return Task.FromResult(query.ExecuteScalar() is not null);
    }

    /// <inheritdoc />
    public Task<string?> FindUserByTokenHashAsync(byte[] tokenHash, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT user_id FROM users WHERE token_hash = $h";
        query.Parameters.AddWithValue("$h", tokenHash);
        return Task.FromResult(query.ExecuteScalar() as string);
    }

    /// <inheritdoc />
    public Task<ProvisionResult> AddDevicesAsync(IReadOnlyList<NewDevice> devices, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var owner = connection.CreateCommand();
        owner.Transaction = transaction;
        owner.CommandText = "SELECT id FROM users WHERE user_id = $u";
        var ownerId = owner.Parameters.Add("$u", SqliteType.Text);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT OR IGNORE INTO devices(device_id, owner, token_hash, zones, max_duration, created) VALUES ($d, $o, $h, $z, $m, unixepoch())";
        var device = insert.Parameters.Add("$d", SqliteType.Text);
        var ownerKey = insert.Parameters.Add("$o", SqliteType.Integer);
        var hash = insert.Parameters.Add("$h", SqliteType.Blob);
        var zones = insert.Parameters.Add("$z", SqliteType.Text);
        var maxDuration = insert.Parameters.Add("$m", SqliteType.Integer);
        for (var i = 0; i < devices.Count; i++)
        {
            var item = devices[i];
            ownerId.Value = item.Owner;
            if (owner.ExecuteScalar() is not long key)
            {
                return Task.FromResult(new ProvisionResult(ProvisionError.UnknownOwner, i));
            }

            device.Value = item.DeviceId;
            ownerKey.Value = key;
            hash.Value = item.TokenHash;
            zones.Value = JoinZones(item.Zones);
            maxDuration.Value = item.MaxDurationSeconds;
            if (insert.ExecuteNonQuery() != 1)
            {
                // Dispose rolls the transaction back: all or nothing.
                return Task.FromResult(new ProvisionResult(ProvisionError.Duplicate, i));
            }
        }

        transaction.Commit();
        return Task.FromResult(new ProvisionResult(ProvisionError.None));
    }

    /// <inheritdoc />
    public Task<ProvisionResult> SetDeviceTokenAsync(string deviceId, byte[] tokenHash, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE devices SET token_hash = $h WHERE device_id = $d";
        update.Parameters.AddWithValue("$d", deviceId);
        update.Parameters.AddWithValue("$h", tokenHash);
        return Task.FromResult(new ProvisionResult(update.ExecuteNonQuery() == 1 ? ProvisionError.None : ProvisionError.NotFound));
    }

    /// <inheritdoc />
    public Task SetDeviceZonesAsync(string deviceId, string[] zones, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE devices SET zones = $z WHERE device_id = $d";
        update.Parameters.AddWithValue("$d", deviceId);
        update.Parameters.AddWithValue("$z", JoinZones(zones));
        update.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<DeviceRecord?> FindDeviceAsync(string deviceId, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = SelectDevice + " WHERE d.device_id = $d";
        query.Parameters.AddWithValue("$d", deviceId);
        using var reader = query.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadDevice(reader) : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(string? owner, CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = SelectDevice + (owner is null ? "" : " WHERE u.user_id = $u") + " ORDER BY d.device_id";
        if (owner is not null)
        {
            query.Parameters.AddWithValue("$u", owner);
        }

        using var reader = query.ExecuteReader();
        var devices = new List<DeviceRecord>();
        while (reader.Read())
        {
            devices.Add(ReadDevice(reader));
        }

        return Task.FromResult<IReadOnlyList<DeviceRecord>>(devices);
    }

    private const string SelectDevice =
        "SELECT d.device_id, u.user_id, d.zones, d.max_duration, d.token_hash FROM devices d JOIN users u ON u.id = d.owner";

    private static DeviceRecord ReadDevice(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        SplitZones(reader.GetString(2)),
        reader.GetInt32(3),
        (byte[])reader.GetValue(4));

    // Zone names are validated to [A-Za-z0-9_-], so a comma is a safe separator.
    private static string JoinZones(string[] zones) => string.Join(',', zones);

    private static string[] SplitZones(string zones) =>
        zones.Length == 0 ? [] : zones.Split(',');
}
