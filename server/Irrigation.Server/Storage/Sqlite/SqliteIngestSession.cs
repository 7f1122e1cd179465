using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The ingest writer on SQLite: prepared statements bound row by row inside the batch's transaction (SQLite runs in
/// the process, so a statement costs a function call, not a round trip). BEGIN IMMEDIATE holds the database's one
/// write lock for the whole batch, so the streams it reads cannot change under it.
/// </summary>
public sealed class SqliteIngestSession : IngestSession
{
    private readonly SqliteCommand _stream;
    private readonly SqliteCommand _reading;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _water;
    private readonly SqliteCommand _mark;
    private readonly SqliteCommand _lastSeenUpdate;

    /// <summary>Prepares the statements on the writer's connection.</summary>
    public SqliteIngestSession(SqliteConnection connection)
        : base(connection)
    {
        _stream = Prepare(connection, "SELECT seq FROM streams WHERE device = @d AND boot = @b", "@d", "@b");
        _reading = Prepare(connection,
            "INSERT INTO readings(device, kind, time, value, raw, zone, boot, seq) VALUES (@d, @k, @t, @v, @r, @z, @b, @s)",
            "@d", "@k", "@t", "@v", "@r", "@z", "@b", "@s");
        _event = Prepare(connection,
            "INSERT INTO events(device, category, event, time, received, boot, seq, data) VALUES (@d, @c, @e, @t, @r, @b, @s, @data)",
            "@d", "@c", "@e", "@t", "@r", "@b", "@s", "@data");
        _water = Prepare(connection,
            "INSERT INTO water(device, zone, time, litres, boot, seq) VALUES (@d, @z, @t, @l, @b, @s)",
            "@d", "@z", "@t", "@l", "@b", "@s");
        _mark = Prepare(connection,
            "INSERT INTO streams(device, boot, seq) VALUES (@d, @b, @s) ON CONFLICT (device, boot) DO UPDATE SET seq = excluded.seq WHERE excluded.seq > streams.seq",
            "@d", "@b", "@s");
        _lastSeenUpdate = Prepare(connection,
            "UPDATE devices SET last_seen = @r WHERE id = @d AND (last_seen IS NULL OR last_seen < @r)", "@d", "@r");
    }

    /// <inheritdoc />
    protected override void LoadStreams(DbTransaction transaction, Dictionary<StreamKey, long> streams)
    {
        _stream.Transaction = (SqliteTransaction)transaction;
        foreach (var key in streams.Keys.ToArray())
        {
            _stream.Parameters[0].Value = key.Device;
            _stream.Parameters[1].Value = key.Boot;
            streams[key] = _stream.ExecuteScalar() is long seq ? seq : 0;
        }
    }

    /// <inheritdoc />
    protected override void InsertReadings(DbTransaction transaction, List<StoredRecord> readings)
    {
        _reading.Transaction = (SqliteTransaction)transaction;
        var p = _reading.Parameters;
        foreach (var (device, r) in readings)
        {
            p[0].Value = device;
            p[1].Value = (int)r.Kind!.Value;
            p[2].Value = r.Time;
            p[3].Value = r.Value;
            p[4].Value = r.Raw is long raw ? raw : DBNull.Value;
            p[5].Value = (object?)r.Zone ?? DBNull.Value;
            p[6].Value = r.Boot;
            p[7].Value = r.Seq ?? 0;
            _reading.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    protected override void InsertEvents(DbTransaction transaction, List<StoredRecord> events)
    {
        _event.Transaction = (SqliteTransaction)transaction;
        var p = _event.Parameters;
        foreach (var (device, e) in events)
        {
            p[0].Value = device;
            p[1].Value = EventCategory.Of(e.Event) ?? EventCategory.Log;
            p[2].Value = e.Event;
            p[3].Value = e.Time;
            p[4].Value = e.Received;
            p[5].Value = e.Boot;
            p[6].Value = e.Seq is long seq ? seq : DBNull.Value;
            p[7].Value = e.DataJson ?? "{}";
            _event.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    protected override void InsertWater(DbTransaction transaction, List<StoredRecord> volumes)
    {
        _water.Transaction = (SqliteTransaction)transaction;
        var p = _water.Parameters;
        foreach (var (device, v) in volumes)
        {
            p[0].Value = device;
            p[1].Value = v.Zone ?? WaterZone.Unnamed;
            p[2].Value = v.Time;
            p[3].Value = v.Litres!.Value;
            p[4].Value = v.Boot;
            p[5].Value = v.Seq!.Value;
            _water.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    protected override void SaveStreams(DbTransaction transaction, List<KeyValuePair<StreamKey, long>> marks)
    {
        _mark.Transaction = (SqliteTransaction)transaction;
        foreach (var (key, seq) in marks)
        {
            _mark.Parameters[0].Value = key.Device;
            _mark.Parameters[1].Value = key.Boot;
            _mark.Parameters[2].Value = seq;
            _mark.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    protected override void SaveLastSeen(DbTransaction transaction, Dictionary<long, long> lastSeen)
    {
        _lastSeenUpdate.Transaction = (SqliteTransaction)transaction;
        foreach (var (device, received) in lastSeen)
        {
            _lastSeenUpdate.Parameters[0].Value = device;
            _lastSeenUpdate.Parameters[1].Value = received;
            _lastSeenUpdate.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _stream.Dispose();
        _reading.Dispose();
        _event.Dispose();
        _water.Dispose();
        _mark.Dispose();
        _lastSeenUpdate.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
