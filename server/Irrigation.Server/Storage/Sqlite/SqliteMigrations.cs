using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Versioned schema: each entry of <see cref="Steps"/> moves the database one version up, inside a transaction,
/// and records the version in schema_version. Never edit a released step; append a new one.
/// </summary>
public static class SqliteMigrations
{
    /// <summary>The migration scripts; index 0 brings version 0 to 1.</summary>
    public static readonly string[] Steps =
    [
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL UNIQUE,
            token_hash BLOB NOT NULL UNIQUE,
            created INTEGER NOT NULL);
        CREATE TABLE devices (
            id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL UNIQUE,
            owner INTEGER NOT NULL REFERENCES users(id),
            token_hash BLOB NOT NULL,
            zones TEXT NOT NULL,
            max_duration INTEGER NOT NULL,
            created INTEGER NOT NULL,
            -- Latest receive time of a stored frame, written once per device per ingest batch.
            last_seen INTEGER);
        CREATE INDEX devices_owner ON devices(owner);
        -- Raw sensor readings. (device, boot, seq) is unique across readings and events: the ingest writer inserts
        -- into one table only when the other does not hold the triple.
        CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            device INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            time INTEGER NOT NULL,
            received INTEGER NOT NULL,
            boot INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            value INTEGER NOT NULL,
            raw INTEGER,
            zone TEXT);
        CREATE UNIQUE INDEX readings_seq ON readings(device, boot, seq);
        -- Covers the bucket query (min/max/avg over a time range) without touching the table.
        CREATE INDEX readings_series ON readings(device, kind, time, value);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            device INTEGER NOT NULL,
            category TEXT NOT NULL,
            event TEXT NOT NULL,
            time INTEGER NOT NULL,
            received INTEGER NOT NULL,
            boot INTEGER NOT NULL,
            seq INTEGER,
            data TEXT NOT NULL);
        -- Server-originated commands have seq NULL, which never conflicts.
        CREATE UNIQUE INDEX events_seq ON events(device, boot, seq);
        CREATE INDEX events_time ON events(device, time);
        -- Finds the newest server command quickly, so command ids "c-N" keep counting after a restart.
        CREATE INDEX events_server_commands ON events(id) WHERE seq IS NULL;
        """,
        // 1 -> 2: the newest events of one category per device, without a scan of the device's history
        // (zone leases rebuilt after a restart; the history API's kind filter).
        """
        CREATE INDEX events_category ON events(device, category, received);
        """,
        // 2 -> 3: readings become an append-only log, so an ingest commit writes a few pages instead of about one
        // index page per event (both readings indexes were device-first: one hot leaf per device per commit).
        // - streams: the highest stored seq per (device, boot), the whole of the dedupe and the welcome's resume,
        //   replaces the unique index readings_seq;
        // - readings_by_series replaces the covering index readings_series. The ingest writer fills it from the
        //   log in large steps (rows above readings_indexed.upto); queries read it plus that short unindexed tail.
        """
        CREATE TABLE streams (
            device INTEGER NOT NULL,
            boot INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (device, boot)) WITHOUT ROWID;
        INSERT INTO streams(device, boot, seq)
            SELECT device, boot, MAX(seq) FROM (
                SELECT device, boot, seq FROM readings
                UNION ALL SELECT device, boot, seq FROM events WHERE seq IS NOT NULL)
            GROUP BY device, boot;
        CREATE TABLE readings_by_series (
            device INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            time INTEGER NOT NULL,
            id INTEGER NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (device, kind, time, id)) WITHOUT ROWID;
        INSERT INTO readings_by_series(device, kind, time, id, value) SELECT device, kind, time, id, value FROM readings;
        CREATE TABLE readings_indexed (upto INTEGER NOT NULL);
        INSERT INTO readings_indexed(upto) SELECT COALESCE(MAX(id), 0) FROM readings;
        DROP INDEX readings_seq;
        DROP INDEX readings_series;
        """,
        // 3 -> 4: the series index moves to its own file (irrigation-series.db, see SqliteSeriesIndexer), whose
        // write lock the ingest writer never waits for. It is derived data: the indexer rebuilds it from the log.
        """
        DROP TABLE readings_by_series;
        DROP TABLE readings_indexed;
        """,
        // 4 -> 5: the readings log packs each ingest commit into one row (see SqliteReadingLog): a row per reading
        // cost the ingest writer a B-tree insert and about ten calls into SQLite each. The readings already stored
        // move into it with their ids (ConvertReadingRows), so the series index stays valid.
        """
        CREATE TABLE reading_batches (
            first INTEGER PRIMARY KEY,
            count INTEGER NOT NULL,
            received INTEGER NOT NULL,
            readings BLOB NOT NULL);
        """,
    ];

    // Readings per converted row: as many as an ingest commit holds by default.
    private const int ConvertedBatch = 256;

    // A line of progress per this many readings packed (a few seconds' work), for databases of years of readings.
    private const int ConvertProgressEvery = 1_000_000;

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => Steps.Length;

    /// <summary>
    /// Applies every step above the database's current version. Upgrading an existing database can take a while
    /// (step 3 rebuilds the readings index; after step 4 the series index file is rebuilt in the background; step 5
    /// packs the readings log), so each such step is announced on <paramref name="progress"/>.
    /// </summary>
    public static void Apply(SqliteConnection connection, Action<string>? progress = null)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        while (true)
        {
            // BEGIN IMMEDIATE (the default) takes the write lock first, so a CLI command and a server starting at
            // the same moment cannot both run the same step: the second one re-reads the version inside the lock.
            using var transaction = connection.BeginTransaction();
            var current = CurrentVersion(connection, transaction);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The database has schema version {current}, newer than this server ({LatestVersion}). Use a newer server or another --data-dir.");
            }

            if (current == LatestVersion)
            {
                return;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (current > 0)
            {
                progress?.Invoke($"Upgrading the database schema from version {current} to {current + 1}…");
            }

            using (var step = connection.CreateCommand())
            {
                step.Transaction = transaction;
                step.CommandText = Steps[current];
                step.ExecuteNonQuery();
            }

            if (current + 1 == 5)
            {
                ConvertReadingRows(connection, transaction, progress);
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES ($v)";
                record.Parameters.AddWithValue("$v", current + 1);
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            if (current > 0)
            {
                progress?.Invoke($"Database schema version {current + 1} ready ({System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s).");
            }
        }
    }

    // Moves the readings of the row-per-reading log into reading_batches, ids kept: a row holds a run of consecutive
    // ids (a gap starts a new one), so every reading keeps the id the series index knows it by.
    private static void ConvertReadingRows(SqliteConnection connection, SqliteTransaction transaction, Action<string>? progress)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COUNT(*) FROM readings";
        var total = (long)read.ExecuteScalar()!;
        if (total > 0)
        {
            progress?.Invoke($"Packing {total} readings into the new log…");
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO reading_batches(first, count, received, readings) VALUES ($first, $count, $received, $readings)";
        var first = insert.Parameters.Add("$first", SqliteType.Integer);
        var count = insert.Parameters.Add("$count", SqliteType.Integer);
        var received = insert.Parameters.Add("$received", SqliteType.Integer);
        var blob = insert.Parameters.Add("$readings", SqliteType.Blob);
        var run = new List<LoggedReading>(ConvertedBatch);
        void Flush()
        {
            if (run.Count == 0)
            {
                return;
            }

            first.Value = run[0].Id;
            count.Value = run.Count;
            received.Value = run.Max(r => r.Received);
            blob.Value = ReadingBatchCodec.Encode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(run));
            insert.ExecuteNonQuery();
            run.Clear();
        }

        read.CommandText = "SELECT id, device, kind, time, received, boot, seq, value, raw, zone FROM readings ORDER BY id";
        var packed = 0L;
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                if (++packed % ConvertProgressEvery == 0)
                {
                    progress?.Invoke($"… {packed} of {total} readings packed");
                }

                var id = reader.GetInt64(0);
                if (run.Count == ConvertedBatch || (run.Count > 0 && run[^1].Id + 1 != id))
                {
                    Flush();
                }

                run.Add(new LoggedReading(
                    id, reader.GetInt64(1), (ReadingKind)reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        }

        Flush();
        read.CommandText = "DROP TABLE readings";
        read.ExecuteNonQuery();
    }

    /// <summary>The schema version stored in the database (0 for a new file).</summary>
    public static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(read.ExecuteScalar());
    }
}
