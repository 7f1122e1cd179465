using System.Diagnostics;
using System.Runtime.InteropServices;
using Irrigation.Server.Options;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The ingest writer's connection with its prepared statements; one transaction per batch, so thousands of events
/// per second cost a few commits (and fsyncs), not one each. A commit's readings are appended to the unindexed log
/// as one packed row (<see cref="SqliteReadingLog"/>), repeats are recognised by <see cref="SqliteStreams"/>, and
/// <see cref="SqliteSeriesIndexer"/> indexes the log in large steps on its own thread and file. The connection
/// has the database alone: its BEGIN IMMEDIATE must not take the series index's write lock.
/// </summary>
public sealed class SqliteIngestSession : IIngestSession
{
    private readonly SqliteConnection _connection;
    private readonly SqliteDeviceKeys _keys;
    private readonly SqliteRawStatement _readingBatch;
    private readonly List<LoggedReading> _readings = [];
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _lastSeenUpdate;
    private readonly SqliteStreams _streams;
    private readonly SqliteSeriesIndexer _indexer;
    private readonly SqliteLogSync? _logSync;
    private readonly Dictionary<long, long> _lastSeen = [];
    private readonly TimeSpan _lastSeenInterval;
    private long _lastSeenWritten = Stopwatch.GetTimestamp();
    private readonly SqliteRawStatement _readNextId;
    private long _nextReadingId;

    /// <summary>Opens the writer connection and prepares the statements.</summary>
    public SqliteIngestSession(SqliteDatabase database, SqliteDeviceKeys keys, StorageOptions options)
    {
        _connection = database.OpenForIngest();
        _logSync = database.DefersIngestSync ? new SqliteLogSync(database.LogPath) : null;
        _keys = keys;
        _readingBatch = new SqliteRawStatement(
            _connection, "INSERT INTO reading_batches(first, count, received, readings) VALUES (?1, ?2, ?3, ?4)");
        _readNextId = new SqliteRawStatement(_connection, SqliteReadingLog.NextIdSql);

        // events_seq still rejects a repeat the stream marks could not see (it costs little: events are rare).
        _event = Prepare(
            "INSERT OR IGNORE INTO events(device, category, event, time, received, boot, seq, data) VALUES ($d, $c, $e, $t, $r, $b, $s, $data)",
            "$d", "$c", "$e", "$t", "$r", "$b", "$s", "$data");
        _lastSeenUpdate = Prepare("UPDATE devices SET last_seen = MAX(COALESCE(last_seen, 0), $r) WHERE id = $d", "$d", "$r");
        _streams = new SqliteStreams(_connection);
        _indexer = database.SeriesIndex;
        _lastSeenInterval = options.SeriesIndexInterval;
    }

    /// <inheritdoc />
    public void WriteBatch(IReadOnlyList<IngestRecord?> batch, Span<bool> inserted)
    {
        using var transaction = _connection.BeginTransaction();
        _event.Transaction = transaction;
        _lastSeenUpdate.Transaction = transaction;
        _streams.Begin(transaction);
        _readings.Clear();
        // Read inside the transaction (one B-tree descent per commit): a retried batch, or another writer of the
        // same file, can never reuse an id.
        _nextReadingId = _readNextId.Read() ? _readNextId.Int64(0) : 1;
        _readNextId.Reset();
        for (var i = 0; i < batch.Count; i++)
        {
            inserted[i] = batch[i] is { } record && Insert(record);
        }

        if (_readings.Count > 0)
        {
            var received = 0L;
            foreach (var reading in _readings)
            {
                received = Math.Max(received, reading.Received);
            }

            _readingBatch.Bind(1, _nextReadingId).Bind(2, _readings.Count).Bind(3, received)
                .Bind(4, ReadingBatchCodec.Encode(CollectionsMarshal.AsSpan(_readings))).Execute();
        }

        _streams.Write();
        var wroteLastSeen = WriteLastSeenIfDue(force: false);
        transaction.Commit();
        _streams.Committed();
        _indexer.Added(_readings.Count);
        if (wroteLastSeen)
        {
            _lastSeen.Clear();
            _lastSeenWritten = Stopwatch.GetTimestamp();
        }
    }

    /// <inheritdoc />
    public bool DefersSync => _logSync is not null;

    /// <inheritdoc />
    public void Sync() => _logSync?.Sync();

    // devices.last_seen only matters after a restart (the live value is in memory), so it is written at most an
    // interval late, instead of once per device per batch: fewer statements and pages.
    private bool WriteLastSeenIfDue(bool force)
    {
        if (_lastSeen.Count == 0 || (!force && Stopwatch.GetElapsedTime(_lastSeenWritten) < _lastSeenInterval))
        {
            return false;
        }

        foreach (var (device, received) in _lastSeen)
        {
            _lastSeenUpdate.Parameters[0].Value = device;
            _lastSeenUpdate.Parameters[1].Value = received;
            _lastSeenUpdate.ExecuteNonQuery();
        }

        return true;
    }

    private bool Insert(IngestRecord record)
    {
        if (_keys.Find(_connection, record.DeviceId) is not long device)
        {
            return false;
        }

        if (record.Seq is long seq && !_streams.TryAdvance(device, record.Boot, seq))
        {
            return false;
        }

        _lastSeen[device] = Math.Max(_lastSeen.GetValueOrDefault(device), record.Received);
        if (record.Kind is ReadingKind kind)
        {
            _readings.Add(new LoggedReading(
                _nextReadingId + _readings.Count, device, kind, record.Time, record.Received, record.Boot, record.Seq ?? 0, record.Value, record.Raw, record.Zone));
            return true;
        }

        var e = _event.Parameters;
        e[0].Value = device;
        e[1].Value = EventCategory.Of(record.Event) ?? EventCategory.Log;
        e[2].Value = record.Event;
        e[3].Value = record.Time;
        e[4].Value = record.Received;
        e[5].Value = record.Boot;
        e[6].Value = record.Seq is long s ? s : DBNull.Value;
        e[7].Value = record.DataJson ?? "{}";
        return _event.ExecuteNonQuery() == 1;
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Shutdown: the last interval's receive times would otherwise wait for the next run's first step.
        try
        {
            using var transaction = _connection.BeginTransaction();
            _lastSeenUpdate.Transaction = transaction;
            if (WriteLastSeenIfDue(force: true))
            {
                transaction.Commit();
                Sync();
            }
        }
        catch (Exception e) when (e is SqliteException or IOException)
        {
            // Only a display value is lost; the events themselves were committed before their acks.
        }

        _readingBatch.Dispose();
        _readNextId.Dispose();
        _event.Dispose();
        _lastSeenUpdate.Dispose();
        _streams.Dispose();
        _connection.Dispose();
        _logSync?.Dispose();
    }
}
