using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// A statement run for every event, batch or index step, prepared once and bound by position through SQLitePCL.
/// Microsoft.Data.Sqlite's command looks every parameter up by name and builds a data reader on each execution,
/// which cost more than the insert itself at tens of thousands of rows per second. Runs inside whatever transaction
/// the connection has open. Parameters are numbered from 1 (<c>?1</c>, <c>?2</c>…), result columns from 0.
/// </summary>
public sealed class SqliteRawStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    // What each parameter holds since its last bind (SQLite keeps bindings across resets): a bind is a P/Invoke that
    // takes the connection's mutex, and consecutive rows repeat most values (device, boot, receive time, NULLs).
    private readonly long[] _bound;
    private readonly Binding[] _binding;

    /// <summary>Prepares <paramref name="sql"/> (one statement) on the connection.</summary>
    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        var parameters = raw.sqlite3_bind_parameter_count(_statement) + 1;
        _bound = new long[parameters];
        _binding = new Binding[parameters];
    }

    private enum Binding : byte
    {
        Unknown,
        Integer,
        Null,
    }

    /// <summary>Binds an integer.</summary>
    public SqliteRawStatement Bind(int index, long value)
    {
        if (_binding[index] != Binding.Integer || _bound[index] != value)
        {
            raw.sqlite3_bind_int64(_statement, index, value);
            (_binding[index], _bound[index]) = (Binding.Integer, value);
        }

        return this;
    }

    /// <summary>Binds an integer, or NULL.</summary>
    public SqliteRawStatement Bind(int index, long? value) => value is long v ? Bind(index, v) : BindNull(index);

    /// <summary>Binds a text, or NULL.</summary>
    public SqliteRawStatement Bind(int index, string? value)
    {
        if (value is null)
        {
            return BindNull(index);
        }

        raw.sqlite3_bind_text(_statement, index, value);
        _binding[index] = Binding.Unknown;
        return this;
    }

    /// <summary>Binds a blob (SQLite copies it).</summary>
    public SqliteRawStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        raw.sqlite3_bind_blob(_statement, index, value);
        _binding[index] = Binding.Unknown;
        return this;
    }

    /// <summary>Runs the statement to completion (it returns no rows) and resets it for the next use.</summary>
    public void Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Steps a query to its next row: true with a row to read (<see cref="Int64"/>, <see cref="Blob"/>), false at the
    /// end, where the statement is reset for the next use. Call <see cref="Reset"/> to stop before the end.
    /// </summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        return false;
    }

    /// <summary>Column <paramref name="column"/> of the current row as an integer (NULL reads as 0).</summary>
    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>Column <paramref name="column"/> of the current row as bytes, valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Ends a query before its last row.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();

    private SqliteRawStatement BindNull(int index)
    {
        if (_binding[index] != Binding.Null)
        {
            raw.sqlite3_bind_null(_statement, index);
            _binding[index] = Binding.Null;
        }

        return this;
    }
}
