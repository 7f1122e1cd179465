using System.Data.Common;

namespace Irrigation.Server.Storage;

/// <summary>
/// One ingest commit, the same on both engines: the streams of the batch (the highest stored seq per device and boot)
/// are read and locked, repeats are left out, the readings, the events (with the water ledger's rows of their measured
/// volumes) and the new stream marks are written, and
/// devices' last_seen at most once per <see cref="LastSeenInterval"/> (the live value is in memory). Engines supply
/// the statements: row by row with prepared statements on SQLite, one array statement per table on PostgreSQL.
/// </summary>
public abstract class IngestSession : IIngestSession
{
    /// <summary>How late devices.last_seen may be written; it is only read after a restart.</summary>
    public static readonly TimeSpan LastSeenInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, long> _deviceKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<StreamKey, long> _streams = [];
    private readonly HashSet<StreamKey> _advanced = [];
    private readonly List<StoredRecord> _readings = [];
    private readonly List<StoredRecord> _events = [];
    private readonly List<StoredRecord> _water = [];
    private readonly Dictionary<long, long> _lastSeen = [];
    private long _lastSeenWritten = Environment.TickCount64;

    /// <summary>Takes the writer's connection (opened by the engine).</summary>
    protected IngestSession(DbConnection connection) => Connection = connection;

    /// <summary>The writer's own connection.</summary>
    protected DbConnection Connection { get; }

    /// <inheritdoc />
    public void WriteBatch(IReadOnlyList<IngestRecord> batch, Span<bool> inserted)
    {
        _streams.Clear();
        _advanced.Clear();
        _readings.Clear();
        _events.Clear();
        _water.Clear();
        using var transaction = Connection.BeginTransaction();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Seq is not null && FindDevice(batch[i].DeviceId, transaction) is long device)
            {
                _streams.TryAdd(new StreamKey(device, batch[i].Boot), 0);
            }
        }

        if (_streams.Count > 0)
        {
            LoadStreams(transaction, _streams);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            inserted[i] = Accept(batch[i], transaction);
        }

        if (_readings.Count > 0)
        {
            InsertReadings(transaction, _readings);
        }

        if (_events.Count > 0)
        {
            InsertEvents(transaction, _events);
        }

        if (_water.Count > 0)
        {
            InsertWater(transaction, _water);
        }

        if (_advanced.Count > 0)
        {
            var marks = new List<KeyValuePair<StreamKey, long>>(_advanced.Count);
            foreach (var key in _advanced)
            {
                marks.Add(new(key, _streams[key]));
            }

            SaveStreams(transaction, marks);
        }

        var writeLastSeen = _lastSeen.Count > 0 && Environment.TickCount64 - _lastSeenWritten >= LastSeenInterval.TotalMilliseconds;
        if (writeLastSeen)
        {
            SaveLastSeen(transaction, _lastSeen);
        }

        BeforeCommit(transaction);
        transaction.Commit();
        if (writeLastSeen)
        {
            _lastSeen.Clear();
            _lastSeenWritten = Environment.TickCount64;
        }
    }

    private bool Accept(IngestRecord record, DbTransaction transaction)
    {
        if (FindDevice(record.DeviceId, transaction) is not long device)
        {
            return false;
        }

        if (record.Seq is long seq)
        {
            var key = new StreamKey(device, record.Boot);
            if (seq <= _streams[key])
            {
                return false;
            }

            _streams[key] = seq;
            _advanced.Add(key);
        }

        _lastSeen[device] = Math.Max(_lastSeen.GetValueOrDefault(device), record.Received);
        (record.Kind is null ? _events : _readings).Add(new StoredRecord(device, record));
        if (record.Litres is not null && record.Seq is not null)
        {
            // In the commit of its event: a volume is in the ledger exactly when its event is stored.
            _water.Add(new StoredRecord(device, record));
        }

        return true;
    }

    // Device ids map to small integer keys once per session (readings store the key, not the name).
    private long? FindDevice(string deviceId, DbTransaction transaction)
    {
        if (_deviceKeys.TryGetValue(deviceId, out var key))
        {
            return key;
        }

        using var query = Connection.Command("SELECT id FROM devices WHERE device_id = @d", transaction, ("@d", deviceId));
        if (query.ExecuteScalar() is { } found and not DBNull)
        {
            key = Convert.ToInt64(found);
            _deviceKeys[deviceId] = key;
            return key;
        }

        return null;
    }

    /// <summary>
    /// Forgets a device's key (it was removed, and its id may be provisioned again). Called on the writer's thread.
    /// </summary>
    public void ForgetDevice(string deviceId) => _deviceKeys.Remove(deviceId);

    /// <summary>
    /// Replaces each stream's value with its stored seq (0 when none), locking the streams until the commit, so two
    /// writers (two server instances during a controller's move) cannot both store the same seq.
    /// </summary>
    protected abstract void LoadStreams(DbTransaction transaction, Dictionary<StreamKey, long> streams);

    /// <summary>Inserts readings rows.</summary>
    protected abstract void InsertReadings(DbTransaction transaction, List<StoredRecord> readings);

    /// <summary>Inserts events rows.</summary>
    protected abstract void InsertEvents(DbTransaction transaction, List<StoredRecord> events);

    /// <summary>Inserts water rows (device, zone, time, litres, boot, seq) for events that carry <see cref="IngestRecord.Litres"/>.</summary>
    protected abstract void InsertWater(DbTransaction transaction, List<StoredRecord> volumes);

    /// <summary>Raises each stream's stored seq to the given value.</summary>
    protected abstract void SaveStreams(DbTransaction transaction, List<KeyValuePair<StreamKey, long>> marks);

    /// <summary>Called last before the commit: an engine that queued its statements sends them here.</summary>
    protected virtual void BeforeCommit(DbTransaction transaction)
    {
    }

    /// <summary>Raises devices.last_seen to the given receive times.</summary>
    protected abstract void SaveLastSeen(DbTransaction transaction, Dictionary<long, long> lastSeen);

    /// <inheritdoc />
    public virtual void Dispose()
    {
        // Shutdown: the receive times of the last interval would otherwise wait for the next run.
        try
        {
            if (_lastSeen.Count > 0)
            {
                using var transaction = Connection.BeginTransaction();
                SaveLastSeen(transaction, _lastSeen);
                BeforeCommit(transaction);
                transaction.Commit();
            }
        }
        catch (DbException)
        {
            // Only a display value is lost; every event was committed before its ack.
        }

        Connection.Dispose();
    }
}
