namespace Irrigation.Server.Storage;

/// <summary>The audit trail: every command, settings change, membership change, rotation and revocation.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry.</summary>
    Task RecordAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>A device's entries, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string deviceId, int limit, CancellationToken ct = default);
}
