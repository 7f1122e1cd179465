using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The ingest writer's connection with its prepared statements; one transaction per batch, so thousands of events
/// per second cost a few commits (and fsyncs), not one each.
/// </summary>
public sealed class SqliteIngestSession : IIngestSession
{
    private readonly SqliteConnection _connection;
    private readonly SqliteDeviceKeys _keys;
    private readonly SqliteCommand _reading;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _lastSeen;
    private readonly Dictionary<long, long> _lastSeenInBatch = [];

    /// <summary>Opens the writer connection and prepares the statements.</summary>
    public SqliteIngestSession(SqliteDatabase database, SqliteDeviceKeys keys)
    {
        _connection = database.Open();
        _keys = keys;
        // (device, boot, seq) is unique across both tables: each insert checks the other table, and INSERT OR IGNORE
        // drops a repeat within its own table. Repeats in one batch see the earlier insert of the same transaction.
        _reading = Prepare(
            """
            INSERT OR IGNORE INTO readings(device, kind, time, received, boot, seq, value, raw, zone)
            SELECT $d, $k, $t, $r, $b, $s, $v, $raw, $z
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE device = $d AND boot = $b AND seq = $s)
            """,
            "$d", "$k", "$t", "$r", "$b", "$s", "$v", "$raw", "$z");
        _event = Prepare(
            """
            INSERT OR IGNORE INTO events(device, category, event, time, received, boot, seq, data)
            SELECT $d, $c, $e, $t, $r, $b, $s, $data
            WHERE $s IS NULL OR NOT EXISTS (SELECT 1 FROM readings WHERE device = $d AND boot = $b AND seq = $s)
            """,
            "$d", "$c", "$e", "$t", "$r", "$b", "$s", "$data");
        _lastSeen = Prepare("UPDATE devices SET last_seen = MAX(COALESCE(last_seen, 0), $r) WHERE id = $d", "$d", "$r");
    }

    /// <inheritdoc />
    public void WriteBatch(IReadOnlyList<IngestRecord?> batch, Span<bool> inserted)
    {
        using var transaction = _connection.BeginTransaction();
        _reading.Transaction = transaction;
        _event.Transaction = transaction;
        _lastSeen.Transaction = transaction;
        _lastSeenInBatch.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            inserted[i] = batch[i] is { } record && Insert(record);
        }

        foreach (var (device, received) in _lastSeenInBatch)
        {
            _lastSeen.Parameters[0].Value = device;
            _lastSeen.Parameters[1].Value = received;
            _lastSeen.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private bool Insert(IngestRecord record)
    {
        if (_keys.Find(_connection, record.DeviceId) is not long device)
        {
            return false;
        }

        _lastSeenInBatch[device] = Math.Max(_lastSeenInBatch.GetValueOrDefault(device), record.Received);
        object seq = record.Seq is long s ? s : DBNull.Value;
        if (record.Kind is ReadingKind kind)
        {
            var p = _reading.Parameters;
            p[0].Value = device;
            p[1].Value = (int)kind;
            p[2].Value = record.Time;
            p[3].Value = record.Received;
            p[4].Value = record.Boot;
            p[5].Value = seq;
            p[6].Value = record.Value;
            p[7].Value = record.Raw is long raw ? raw : DBNull.Value;
            p[8].Value = (object?)record.Zone ?? DBNull.Value;
            return _reading.ExecuteNonQuery() == 1;
        }

        var e = _event.Parameters;
        e[0].Value = device;
        e[1].Value = EventCategory.Of(record.Event) ?? EventCategory.Log;
        e[2].Value = record.Event;
        e[3].Value = record.Time;
        e[4].Value = record.Received;
        e[5].Value = record.Boot;
        e[6].Value = seq;
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
        _reading.Dispose();
        _event.Dispose();
        _lastSeen.Dispose();
        _connection.Dispose();
    }
}
