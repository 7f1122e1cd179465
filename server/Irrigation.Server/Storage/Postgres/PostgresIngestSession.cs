using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Irrigation.Server.Storage.Postgres;

/// <summary>
/// The ingest writer on PostgreSQL: each table gets one statement per batch over arrays (<c>unnest</c>), and the
/// statements after the streams' lock go in one round trip (an Npgsql batch). The streams of the batch are created if
/// new and locked <c>FOR UPDATE</c>: a second writer of the same controller boot (another instance, while the
/// controller moves) waits for this commit and then sees its marks.
/// </summary>
public sealed class PostgresIngestSession(NpgsqlConnection connection) : IngestSession(connection)
{
    private readonly NpgsqlBatch _writes = new(connection);

    /// <inheritdoc />
    protected override void LoadStreams(DbTransaction transaction, Dictionary<StreamKey, long> streams)
    {
        var keys = streams.Keys.ToArray();
        using var command = new NpgsqlCommand(
            """
            INSERT INTO streams(device, boot, seq) SELECT d, b, 0 FROM unnest(@d, @b) AS k(d, b) ON CONFLICT DO NOTHING;
            SELECT s.device, s.boot, s.seq FROM streams s JOIN unnest(@d, @b) AS k(d, b) ON s.device = k.d AND s.boot = k.b
            FOR UPDATE OF s;
            """, (NpgsqlConnection)Connection, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = keys.Select(k => k.Device).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("b", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = keys.Select(k => k.Boot).ToArray() });
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                streams[new StreamKey(reader.GetInt64(0), reader.GetInt64(1))] = reader.GetInt64(2);
            }
        }
        while (reader.NextResult());
    }

    /// <inheritdoc />
    protected override void InsertReadings(DbTransaction transaction, List<StoredRecord> readings) =>
        Queue(
            "INSERT INTO readings(device, kind, time, value, raw, zone, boot, seq) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)",
            Array(NpgsqlDbType.Bigint, readings.Select(r => r.Device).ToArray()),
            Array(NpgsqlDbType.Smallint, readings.Select(r => (short)r.Record.Kind!.Value).ToArray()),
            Array(NpgsqlDbType.Bigint, readings.Select(r => r.Record.Time).ToArray()),
            Array(NpgsqlDbType.Integer, readings.Select(r => (int)r.Record.Value).ToArray()),
            Array(NpgsqlDbType.Integer, readings.Select(r => (int?)r.Record.Raw).ToArray()),
            Array(NpgsqlDbType.Text, readings.Select(r => r.Record.Zone).ToArray()),
            Array(NpgsqlDbType.Bigint, readings.Select(r => r.Record.Boot).ToArray()),
            Array(NpgsqlDbType.Bigint, readings.Select(r => r.Record.Seq ?? 0).ToArray()));

    /// <inheritdoc />
    protected override void InsertEvents(DbTransaction transaction, List<StoredRecord> events) =>
        Queue(
            "INSERT INTO events(device, category, event, time, received, boot, seq, data) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)",
            Array(NpgsqlDbType.Bigint, events.Select(e => e.Device).ToArray()),
            Array(NpgsqlDbType.Text, events.Select(e => EventCategory.Of(e.Record.Event) ?? EventCategory.Log).ToArray()),
            Array(NpgsqlDbType.Text, events.Select(e => e.Record.Event).ToArray()),
            Array(NpgsqlDbType.Bigint, events.Select(e => e.Record.Time).ToArray()),
            Array(NpgsqlDbType.Bigint, events.Select(e => e.Record.Received).ToArray()),
            Array(NpgsqlDbType.Bigint, events.Select(e => e.Record.Boot).ToArray()),
            Array(NpgsqlDbType.Bigint, events.Select(e => e.Record.Seq).ToArray()),
            Array(NpgsqlDbType.Text, events.Select(e => e.Record.DataJson ?? "{}").ToArray()));

    /// <inheritdoc />
    protected override void InsertWater(DbTransaction transaction, List<StoredRecord> volumes) =>
        Queue(
            "INSERT INTO water(device, zone, time, litres, boot, seq) SELECT * FROM unnest($1, $2, $3, $4, $5, $6)",
            Array(NpgsqlDbType.Bigint, volumes.Select(v => v.Device).ToArray()),
            Array(NpgsqlDbType.Text, volumes.Select(v => v.Record.Zone ?? WaterZone.Unnamed).ToArray()),
            Array(NpgsqlDbType.Bigint, volumes.Select(v => v.Record.Time).ToArray()),
            Array(NpgsqlDbType.Bigint, volumes.Select(v => v.Record.Litres!.Value).ToArray()),
            Array(NpgsqlDbType.Bigint, volumes.Select(v => v.Record.Boot).ToArray()),
            Array(NpgsqlDbType.Bigint, volumes.Select(v => v.Record.Seq!.Value).ToArray()));

    /// <inheritdoc />
    protected override void SaveStreams(DbTransaction transaction, List<KeyValuePair<StreamKey, long>> marks) =>
        Queue(
            "UPDATE streams s SET seq = m.seq FROM unnest($1, $2, $3) AS m(device, boot, seq) WHERE s.device = m.device AND s.boot = m.boot AND s.seq < m.seq",
            Array(NpgsqlDbType.Bigint, marks.Select(m => m.Key.Device).ToArray()),
            Array(NpgsqlDbType.Bigint, marks.Select(m => m.Key.Boot).ToArray()),
            Array(NpgsqlDbType.Bigint, marks.Select(m => m.Value).ToArray()));

    /// <inheritdoc />
    protected override void SaveLastSeen(DbTransaction transaction, Dictionary<long, long> lastSeen) =>
        Queue(
            "UPDATE devices d SET last_seen = v.r FROM unnest($1, $2) AS v(id, r) WHERE d.id = v.id AND (d.last_seen IS NULL OR d.last_seen < v.r)",
            Array(NpgsqlDbType.Bigint, lastSeen.Keys.ToArray()),
            Array(NpgsqlDbType.Bigint, lastSeen.Values.ToArray()));

    /// <inheritdoc />
    protected override void BeforeCommit(DbTransaction transaction) => Flush(transaction);

    // Statements wait in the batch and leave together, one round trip per ingest commit.
    private void Queue(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        _writes.BatchCommands.Add(command);
    }

    private void Flush(DbTransaction transaction)
    {
        if (_writes.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            _writes.Transaction = (NpgsqlTransaction)transaction;
            _writes.ExecuteNonQuery();
        }
        finally
        {
            _writes.BatchCommands.Clear();
        }
    }

    // Positional ($1, $2 …): Npgsql sends the statement as written, without rewriting named parameters.
    private static NpgsqlParameter Array<T>(NpgsqlDbType type, T[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };

    /// <inheritdoc />
    public override void Dispose()
    {
        _writes.Dispose();
        base.Dispose();
    }
}
