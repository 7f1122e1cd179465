using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The one statement the ingest writer runs per reading, prepared once and bound by position through SQLitePCL.
/// Microsoft.Data.Sqlite's command looks every parameter up by name and builds a reader on each execution, which
/// cost twice the insert itself at thousands of readings per second.
/// </summary>
public sealed class SqliteReadingInsert : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares the insert on the writer's connection.</summary>
    public SqliteReadingInsert(SqliteConnection connection)
    {
        _connection = connection;
        var rc = raw.sqlite3_prepare_v2(
            connection.Handle,
            "INSERT INTO readings(device, kind, time, received, boot, seq, value, raw, zone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>Inserts one reading into the current transaction.</summary>
    public void Insert(long device, IngestRecord record, ReadingKind kind, long seq)
    {
        var s = _statement;
        try
        {
            raw.sqlite3_bind_int64(s, 1, device);
            raw.sqlite3_bind_int64(s, 2, (int)kind);
            raw.sqlite3_bind_int64(s, 3, record.Time);
            raw.sqlite3_bind_int64(s, 4, record.Received);
            raw.sqlite3_bind_int64(s, 5, record.Boot);
            raw.sqlite3_bind_int64(s, 6, seq);
            raw.sqlite3_bind_int64(s, 7, record.Value);
            _ = record.Raw is long adc ? raw.sqlite3_bind_int64(s, 8, adc) : raw.sqlite3_bind_null(s, 8);
            _ = record.Zone is { } zone ? raw.sqlite3_bind_text(s, 9, zone) : raw.sqlite3_bind_null(s, 9);
            var rc = raw.sqlite3_step(s);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(s);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();
}
