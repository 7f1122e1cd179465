namespace Irrigation.Server.Storage;

/// <summary>The audit trail in its table, the same SQL on both engines.</summary>
public sealed class SqlAuditLog(Database database) : IAuditLog
{
    /// <inheritdoc />
    public async Task RecordAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO audit(device_id, time, actor, action, detail, outcome) VALUES (@d, @t, @a, @x, @detail, @o)",
            ("@d", entry.DeviceId), ("@t", entry.Time), ("@a", entry.Actor), ("@x", entry.Action), ("@detail", entry.Detail), ("@o", entry.Outcome));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string deviceId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryAsync(
            "SELECT time, device_id, actor, action, detail, outcome FROM audit WHERE device_id = @d ORDER BY id DESC LIMIT @n",
            r => new AuditEntry(r.Int64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)),
            null, ("@d", deviceId), ("@n", limit));
    }
}
