using System.Data.Common;

namespace Irrigation.Server.Storage;

/// <summary>Settings versions and reports in their tables, the same SQL on both engines.</summary>
public sealed class SqlSettingsStore(Database database) : ISettingsStore
{
    private const string DeviceKey = "(SELECT id FROM devices WHERE device_id = @d)";

    /// <inheritdoc />
    public async Task<StoredSettings?> GetLatestAsync(string deviceId, CancellationToken ct = default) =>
        (await HistoryAsync(deviceId, 1, ct)) is [var latest] ? latest : null;

    /// <inheritdoc />
    public async Task<bool> SaveAsync(string deviceId, int baseVersion, StoredSettings settings, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await connection.ScalarInt64Async(
            $"SELECT MAX(version) FROM settings_versions WHERE device = {DeviceKey}", transaction, ("@d", deviceId)) ?? 0;
        if (current != baseVersion)
        {
            return false;
        }

        try
        {
            await transaction.ExecuteAsync(
                $"""
                INSERT INTO settings_versions(device, version, settings, time_zone, changed, updated_by, updated_at)
                VALUES ({DeviceKey}, @v, @s, @z, @c, @u, @t)
                """,
                ("@d", deviceId), ("@v", baseVersion + 1), ("@s", settings.Json), ("@z", settings.TimeZone), ("@c", settings.Changed),
                ("@u", settings.UpdatedBy), ("@t", settings.UpdatedAt));
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbException)
        {
            // Another instance saved the same version first (the primary key): the caller's base is stale.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredSettings>> HistoryAsync(string deviceId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryAsync(
            $"""
            SELECT version, settings, changed, updated_by, updated_at, time_zone FROM settings_versions
            WHERE device = {DeviceKey} ORDER BY version DESC LIMIT @n
            """,
            r => new StoredSettings((int)r.Int64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.Int64(4), r.NullableString(5)),
            null, ("@d", deviceId), ("@n", limit));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> TimeZonesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync(
            """
            SELECT d.device_id, s.time_zone FROM settings_versions s JOIN devices d ON d.id = s.device
            WHERE s.time_zone IS NOT NULL AND s.version = (SELECT MAX(version) FROM settings_versions WHERE device = s.device)
            """,
            r => (Device: r.GetString(0), Zone: r.GetString(1)));
        return rows.ToDictionary(r => r.Device, r => r.Zone, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<SettingsReport?> GetReportAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync(
            $"SELECT reported_version, rejected_version, errors FROM settings_state WHERE device = {DeviceKey}",
            r => new SettingsReport((int)r.Int64(0), (int)r.Int64(1), r.GetString(2)), null, ("@d", deviceId));
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <inheritdoc />
    public async Task ReportRunningAsync(string deviceId, int version, long time, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO settings_state(device, reported_version, rejected_version, errors, updated_at)
            SELECT id, @v, 0, '[]', @t FROM devices WHERE device_id = @d
            ON CONFLICT (device) DO UPDATE SET reported_version = excluded.reported_version, updated_at = excluded.updated_at
            """,
            ("@d", deviceId), ("@v", version), ("@t", time));
    }

    /// <inheritdoc />
    public async Task ReportRejectedAsync(string deviceId, int version, string errorsJson, long time, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO settings_state(device, reported_version, rejected_version, errors, updated_at)
            SELECT id, 0, @v, @e, @t FROM devices WHERE device_id = @d
            ON CONFLICT (device) DO UPDATE SET rejected_version = excluded.rejected_version, errors = excluded.errors,
                updated_at = excluded.updated_at
            """,
            ("@d", deviceId), ("@v", version), ("@e", errorsJson), ("@t", time));
    }
}
