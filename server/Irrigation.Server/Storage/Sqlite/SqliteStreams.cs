using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The highest stored seq of each device's current boot, for the ingest writer's dedupe. The contract numbers a
/// boot's events 1, 2, 3… and a controller resends from the welcome's resume in order, so an event whose seq is
/// not above the mark is a repeat: it is acknowledged again but not stored. The marks live in the streams table
/// (one row per device and boot, written once per device per batch) and are cached here, one per device.
/// Changes made during a batch only reach the cache after its commit, so a batch retried after a failed commit
/// sees the same marks again.
/// </summary>
public sealed class SqliteStreams : IDisposable
{
    private readonly Dictionary<long, (long Boot, long Seq)> _committed = [];
    private readonly Dictionary<(long Device, long Boot), long> _batch = [];
    private readonly SqliteCommand _read;
    private readonly SqliteRawStatement _write;

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public SqliteStreams(SqliteConnection connection)
    {
        _read = connection.CreateCommand();
        _read.CommandText = "SELECT seq FROM streams WHERE device = $d AND boot = $b";
        _read.Parameters.Add(new SqliteParameter { ParameterName = "$d" });
        _read.Parameters.Add(new SqliteParameter { ParameterName = "$b" });
        _write = new SqliteRawStatement(
            connection,
            "INSERT INTO streams(device, boot, seq) VALUES (?1, ?2, ?3) ON CONFLICT(device, boot) DO UPDATE SET seq = MAX(seq, excluded.seq)");
    }

    /// <summary>Starts a batch: forgets what an earlier, uncommitted batch noted.</summary>
    public void Begin(SqliteTransaction transaction)
    {
        _batch.Clear();
        _read.Transaction = transaction;
    }

    /// <summary>
    /// True when <paramref name="seq"/> is above the highest stored seq of (device, boot), and then notes it as
    /// stored by this batch; false for a repeat.
    /// </summary>
    public bool TryAdvance(long device, long boot, long seq)
    {
        if (seq <= Highest(device, boot))
        {
            return false;
        }

        _batch[(device, boot)] = seq;
        return true;
    }

    /// <summary>Writes the batch's marks; call inside the batch's transaction, before the commit.</summary>
    public void Write()
    {
        foreach (var ((device, boot), seq) in _batch)
        {
            _write.Bind(1, device).Bind(2, boot).Bind(3, seq).Execute();
        }
    }

    /// <summary>The batch committed: its marks become the cached ones.</summary>
    public void Committed()
    {
        // With two boots of one device in a batch (two boards sharing an id) either may be cached: another
        // boot is read from the table again.
        foreach (var ((device, boot), seq) in _batch)
        {
            _committed[device] = (boot, seq);
        }

        _batch.Clear();
    }

    private long Highest(long device, long boot)
    {
        if (_batch.TryGetValue((device, boot), out var noted))
        {
            return noted;
        }

        if (_committed.TryGetValue(device, out var mark) && mark.Boot == boot)
        {
            return mark.Seq;
        }

        // First event of this device since start, or another boot: one primary-key lookup, then cached.
        _read.Parameters[0].Value = device;
        _read.Parameters[1].Value = boot;
        var stored = _read.ExecuteScalar() is long seq ? seq : 0;
        _committed[device] = (boot, stored);
        return stored;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _read.Dispose();
        _write.Dispose();
    }
}
