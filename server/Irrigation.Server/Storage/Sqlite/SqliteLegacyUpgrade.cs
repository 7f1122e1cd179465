using System.Text;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Brings a database of the earlier SQLite-only releases (schema versions 1–5) to the plain-rows baseline: readings
/// become one row each, whether they were rows (versions 1–4) or packed into one blob per ingest commit (version 5);
/// users, devices, events and streams keep their rows. Runs inside the migration's transaction, with a progress line
/// per million readings.
/// </summary>
public static class SqliteLegacyUpgrade
{
    private const int ProgressEvery = 1_000_000;

    /// <summary>Upgrades in place; the caller records the new version and commits.</summary>
    public static void Run(SqliteConnection connection, SqliteTransaction transaction, int version, Action<string>? progress)
    {
        void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        long Count(string sql)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }

        bool HasTable(string name) => Count($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'") > 0;

        var rowsTable = HasTable("readings");
        if (rowsTable)
        {
            Execute("ALTER TABLE readings RENAME TO readings_old");
        }

        // The baseline's new tables (users, devices and events are unchanged since version 1).
        Execute(Schema.SqliteReadingTables);
        Execute(
            """
            CREATE INDEX IF NOT EXISTS events_category ON events(device, category, received);
            DROP INDEX IF EXISTS events_server_commands;
            """);
        if (!HasTable("streams"))
        {
            // Versions 1–2 found repeats with unique indexes; the highest stored seq per boot is derived once.
            Execute(
                """
                CREATE TABLE streams (device INTEGER NOT NULL, boot INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (device, boot)) WITHOUT ROWID;
                INSERT INTO streams(device, boot, seq)
                    SELECT device, boot, MAX(seq) FROM (
                        SELECT device, boot, seq FROM readings_old
                        UNION ALL SELECT device, boot, seq FROM events WHERE seq IS NOT NULL)
                    GROUP BY device, boot;
                """);
        }

        var total = rowsTable ? Count("SELECT COUNT(*) FROM readings_old") : 0;
        var packed = HasTable("reading_batches");
        total += packed ? Count("SELECT COALESCE(SUM(count), 0) FROM reading_batches") : 0;
        progress?.Invoke($"Upgrading the database from version {version}: moving {total} readings into plain rows…");

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT OR IGNORE INTO readings(device, kind, time, value, raw, zone, boot, seq) VALUES (@d, @k, @t, @v, @r, @z, @b, @s)";
        foreach (var name in new[] { "@d", "@k", "@t", "@v", "@r", "@z", "@b", "@s" })
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        var moved = 0L;
        void Insert(in LegacyReading r)
        {
            var p = insert.Parameters;
            p[0].Value = r.Device;
            p[1].Value = r.Kind;
            p[2].Value = r.Time;
            p[3].Value = r.Value;
            p[4].Value = r.Raw is long raw ? raw : DBNull.Value;
            p[5].Value = (object?)r.Zone ?? DBNull.Value;
            p[6].Value = r.Boot;
            p[7].Value = r.Seq;
            insert.ExecuteNonQuery();
            if (++moved % ProgressEvery == 0)
            {
                progress?.Invoke($"… {moved} of {total} readings moved");
            }
        }

        if (rowsTable)
        {
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT device, kind, time, value, raw, zone, boot, seq FROM readings_old";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                Insert(new LegacyReading(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6), reader.GetInt64(7)));
            }
        }

        if (packed)
        {
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT readings FROM reading_batches ORDER BY first";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                DecodeBatch((byte[])reader.GetValue(0), Insert);
            }
        }

        Execute(
            """
            DROP TABLE IF EXISTS readings_old;
            DROP TABLE IF EXISTS reading_batches;
            DROP TABLE IF EXISTS readings_by_series;
            DROP TABLE IF EXISTS readings_indexed;
            INSERT INTO counters(name, value)
                SELECT 'command', COALESCE(MAX(CAST(substr(json_extract(data, '$.id'), 3) AS INTEGER)), 0)
                FROM events WHERE seq IS NULL AND json_extract(data, '$.id') LIKE 'c-%';
            """);
        progress?.Invoke($"Upgraded: {moved} readings in plain rows.");
    }

    private delegate void ReadingSink(in LegacyReading reading);

    private readonly record struct LegacyReading(long Device, long Kind, long Time, long Value, long? Raw, string? Zone, long Boot, long Seq);

    // Version 5's blob of one commit: per reading, LEB128 varints of the device; the kind shifted left by two with
    // flags raw (2) and zone (1); zigzag differences of time to the previous reading's, of the receive time to its own
    // time, of boot and seq to the previous reading's; the zigzag value; the zigzag raw value and the zone (UTF-8
    // length, then bytes) when flagged.
    private static void DecodeBatch(byte[] blob, ReadingSink sink)
    {
        var offset = 0;
        var (time, boot, seq) = (0L, 0L, 0L);
        while (offset < blob.Length)
        {
            var device = (long)Varint(blob, ref offset);
            var header = Varint(blob, ref offset);
            time += ZigZag(Varint(blob, ref offset));
            _ = Varint(blob, ref offset); // the receive time: readings no longer keep it
            boot += ZigZag(Varint(blob, ref offset));
            seq += ZigZag(Varint(blob, ref offset));
            var value = ZigZag(Varint(blob, ref offset));
            long? raw = (header & 2) != 0 ? ZigZag(Varint(blob, ref offset)) : null;
            string? zone = null;
            if ((header & 1) != 0)
            {
                var length = (int)Varint(blob, ref offset);
                if (length < 0 || length > blob.Length - offset)
                {
                    throw new InvalidDataException("a packed readings row ends inside a zone name");
                }

                zone = Encoding.UTF8.GetString(blob, offset, length);
                offset += length;
            }

            sink(new LegacyReading(device, (long)(header >> 2), time, value, raw, zone, boot, seq));
        }
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static ulong Varint(byte[] blob, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= blob.Length)
            {
                throw new InvalidDataException("a packed readings row ends inside a number");
            }

            var b = blob[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a packed readings row holds a number longer than 64 bits");
    }
}
