namespace Irrigation.Server.Storage;

/// <summary>
/// The schema, one table per kind of fact, the same on SQLite and PostgreSQL (only the DDL's type names differ).
/// <see cref="Steps"/>[0] is the baseline: a new database is created with every step in one transaction. Append a
/// step for each change; never edit a released one. SQLite databases of the packed-log releases (versions 1–5) are
/// brought to the baseline by <see cref="Sqlite.SqliteLegacyUpgrade"/> first.
/// </summary>
public static class Schema
{
    /// <summary>The first version of the plain-rows schema (the versions below it were SQLite-only layouts).</summary>
    public const int Baseline = 6;

    /// <summary>
    /// The SQLite tables that the upgrade of the packed-log releases (<see cref="Sqlite.SqliteLegacyUpgrade"/>) creates
    /// too: the rest of the baseline was already there.
    /// </summary>
    public const string SqliteReadingTables =
        """
        -- One row per reading. The key is the history API's index (a device's series by time), and boot + seq make
        -- it unique; repeats are recognised by streams, not by this key.
        CREATE TABLE readings (
            device INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            time INTEGER NOT NULL,
            value INTEGER NOT NULL,
            raw INTEGER,
            zone TEXT,
            boot INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (device, kind, time, boot, seq)) WITHOUT ROWID;
        -- The names of readings.kind, for people reading the tables (kept in step with the code at every start).
        CREATE TABLE reading_kinds (
            kind INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE);
        -- Numbers shared by every instance (the N of command ids "c-N").
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL);
        """;

    /// <summary>Every step, oldest first.</summary>
    public static readonly SchemaStep[] Steps =
    [
        new(Baseline, "plain tables on SQLite and PostgreSQL",
            SqliteReadingTables +
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
                last_seen INTEGER);
            CREATE INDEX devices_owner ON devices(owner);
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
            -- A second writer (another instance, while a controller moves) fails on a repeat instead of storing it twice.
            CREATE UNIQUE INDEX events_seq ON events(device, boot, seq);
            CREATE INDEX events_time ON events(device, time);
            CREATE INDEX events_category ON events(device, category, received);
            -- The highest stored seq per controller boot: the whole of the dedupe and welcome.resume.
            CREATE TABLE streams (
                device INTEGER NOT NULL,
                boot INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (device, boot)) WITHOUT ROWID;
            """,
            """
            CREATE TABLE users (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id TEXT NOT NULL UNIQUE,
                token_hash BYTEA NOT NULL UNIQUE,
                created BIGINT NOT NULL);
            CREATE TABLE devices (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                device_id TEXT NOT NULL UNIQUE,
                owner BIGINT NOT NULL REFERENCES users(id),
                token_hash BYTEA NOT NULL,
                zones TEXT NOT NULL,
                max_duration INTEGER NOT NULL,
                created BIGINT NOT NULL,
                last_seen BIGINT);
            CREATE INDEX devices_owner ON devices(owner);
            CREATE TABLE reading_kinds (
                kind SMALLINT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE);
            CREATE TABLE readings (
                device BIGINT NOT NULL,
                kind SMALLINT NOT NULL,
                time BIGINT NOT NULL,
                value INTEGER NOT NULL,
                raw INTEGER,
                zone TEXT,
                boot BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (device, kind, time, boot, seq));
            CREATE TABLE events (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                device BIGINT NOT NULL,
                category TEXT NOT NULL,
                event TEXT NOT NULL,
                time BIGINT NOT NULL,
                received BIGINT NOT NULL,
                boot BIGINT NOT NULL,
                seq BIGINT,
                data TEXT NOT NULL);
            -- A second writer (another instance, while a controller moves) fails on a repeat instead of storing it twice.
            CREATE UNIQUE INDEX events_seq ON events(device, boot, seq);
            CREATE INDEX events_time ON events(device, time);
            CREATE INDEX events_category ON events(device, category, received);
            CREATE TABLE streams (
                device BIGINT NOT NULL,
                boot BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (device, boot));
            CREATE TABLE counters (
                name TEXT PRIMARY KEY,
                value BIGINT NOT NULL);
            """),
        new(7, "shared farms (device members) and the audit trail",
            """
            -- A device's members besides its owner: operator (commands, rain delay) or viewer (read only).
            CREATE TABLE device_members (
                device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                member INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                added INTEGER NOT NULL,
                PRIMARY KEY (device, member));
            CREATE INDEX device_members_member ON device_members(member);
            -- Who did what to which device, and how it ended. Device and user ids are kept as text: the trail
            -- outlives a removed device or user.
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY,
                device_id TEXT NOT NULL,
                time INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                detail TEXT NOT NULL,
                outcome TEXT NOT NULL);
            CREATE INDEX audit_device ON audit(device_id, id);
            """,
            """
            CREATE TABLE device_members (
                device BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                member BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                added BIGINT NOT NULL,
                PRIMARY KEY (device, member));
            CREATE INDEX device_members_member ON device_members(member);
            CREATE TABLE audit (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                device_id TEXT NOT NULL,
                time BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                detail TEXT NOT NULL,
                outcome TEXT NOT NULL);
            CREATE INDEX audit_device ON audit(device_id, id);
            """),
        new(8, "device settings in versions, and what each controller runs",
            """
            -- Every saved version of a device's settings (the config keys the dashboard edits), newest = current.
            CREATE TABLE settings_versions (
                device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                settings TEXT NOT NULL,
                -- The settings' time_zone (an IANA name), kept apart for the watch on DST changes.
                time_zone TEXT,
                changed TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (device, version));
            -- The version the controller runs (from hello and settings_applied) and its last refusal.
            CREATE TABLE settings_state (
                device INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
                reported_version INTEGER NOT NULL,
                rejected_version INTEGER NOT NULL,
                errors TEXT NOT NULL,
                updated_at INTEGER NOT NULL);
            """,
            """
            CREATE TABLE settings_versions (
                device BIGINT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                settings TEXT NOT NULL,
                time_zone TEXT,
                changed TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (device, version));
            CREATE TABLE settings_state (
                device BIGINT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
                reported_version INTEGER NOT NULL,
                rejected_version INTEGER NOT NULL,
                errors TEXT NOT NULL,
                updated_at BIGINT NOT NULL);
            """),
        new(9, "the water ledger (one row per measured run) and flow alerts as their own category",
            """
            -- One row per measured run: the litres of a stored irrigation_stopped, written in the same commit as its
            -- event (a repeat is stored once, so the ledger sums rows). The zone is the one the stop names (several
            -- are joined with '+', none is '*'). Kept with the events: the ledger is for seasons.
            CREATE TABLE water (
                device INTEGER NOT NULL,
                zone TEXT NOT NULL,
                time INTEGER NOT NULL,
                litres INTEGER NOT NULL,
                boot INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (device, time, boot, seq)) WITHOUT ROWID;
            INSERT INTO water(device, zone, time, litres, boot, seq)
            SELECT device,
                CASE WHEN json_array_length(data, '$.zones') = 0 THEN '*'
                     ELSE (SELECT group_concat(value, '+' ORDER BY key) FROM json_each(events.data, '$.zones')) END,
                time, json_extract(data, '$.litres'), boot, seq
            FROM events
            WHERE event = 'irrigation_stopped' AND seq IS NOT NULL AND json_type(data, '$.litres') = 'integer';
            UPDATE events SET category = 'flow_alert' WHERE event = 'flow_alert';
            """,
            """
            CREATE TABLE water (
                device BIGINT NOT NULL,
                zone TEXT NOT NULL,
                time BIGINT NOT NULL,
                litres BIGINT NOT NULL,
                boot BIGINT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (device, time, boot, seq));
            INSERT INTO water(device, zone, time, litres, boot, seq)
            SELECT e.device,
                COALESCE((SELECT string_agg(z.value, '+' ORDER BY z.n)
                          FROM jsonb_array_elements_text(e.data::jsonb -> 'zones') WITH ORDINALITY AS z(value, n)), '*'),
                e.time, (e.data::jsonb ->> 'litres')::bigint, e.boot, e.seq
            FROM events e
            WHERE e.event = 'irrigation_stopped' AND e.seq IS NOT NULL AND jsonb_typeof(e.data::jsonb -> 'litres') = 'number';
            UPDATE events SET category = 'flow_alert' WHERE event = 'flow_alert';
            """),
    ];

    /// <summary>The version of a fully migrated database.</summary>
    public static int Latest => Steps[^1].Version;
}
