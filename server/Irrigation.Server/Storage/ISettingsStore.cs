namespace Irrigation.Server.Storage;

/// <summary>Devices' settings in versions, and what their controllers report running.</summary>
public interface ISettingsStore
{
    /// <summary>The newest version of a device's settings, or null when none was ever saved.</summary>
    Task<StoredSettings?> GetLatestAsync(string deviceId, CancellationToken ct = default);

    /// <summary>
    /// Saves <paramref name="settings"/> as version <paramref name="baseVersion"/> + 1; false when the newest version is
    /// not <paramref name="baseVersion"/> any more (someone saved in between: optimistic concurrency).
    /// </summary>
    Task<bool> SaveAsync(string deviceId, int baseVersion, StoredSettings settings, CancellationToken ct = default);

    /// <summary>The versions, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredSettings>> HistoryAsync(string deviceId, int limit, CancellationToken ct = default);

    /// <summary>The time zone of every device whose newest settings name one.</summary>
    Task<IReadOnlyDictionary<string, string>> TimeZonesAsync(CancellationToken ct = default);

    /// <summary>What the controller reported (null when it never said).</summary>
    Task<SettingsReport?> GetReportAsync(string deviceId, CancellationToken ct = default);

    /// <summary>The controller runs <paramref name="version"/> (its hello, or settings_applied).</summary>
    Task ReportRunningAsync(string deviceId, int version, long time, CancellationToken ct = default);

    /// <summary>The controller refused <paramref name="version"/> with these errors (a JSON array).</summary>
    Task ReportRejectedAsync(string deviceId, int version, string errorsJson, long time, CancellationToken ct = default);
}
