using System.Data.Common;

namespace Irrigation.Server.Storage;

/// <summary>
/// Plain ADO.NET in a few calls, the same on both engines: parameters are named <c>@name</c>, which Microsoft.Data.Sqlite
/// and Npgsql both accept, and null becomes SQL NULL.
/// </summary>
public static class Sql
{
    /// <summary>A command on <paramref name="connection"/> (in <paramref name="transaction"/>, if any) with its parameters bound.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        await using var command = connection.Command(sql, null, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a statement inside a transaction; returns the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this DbTransaction transaction, string sql, params (string, object?)[] parameters)
    {
        await using var command = transaction.Connection!.Command(sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row as a long, or null when there is no row or it is NULL.</summary>
    public static async Task<long?> ScalarInt64Async(this DbConnection connection, string sql, DbTransaction? transaction, params (string, object?)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToInt64(value) : null;
    }

    /// <summary>The first column of the first row as text, or null.</summary>
    public static async Task<string?> QueryScalarTextAsync(this DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        await using var command = connection.Command(sql, null, parameters);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Every row, mapped by <paramref name="map"/>.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        this DbConnection connection, string sql, Func<DbDataReader, T> map, DbTransaction? transaction = null, params (string, object?)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>A nullable long column (both engines return their integer types; this widens them).</summary>
    public static long? NullableInt64(this DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : Convert.ToInt64(reader.GetValue(column));

    /// <summary>A long column of any integer width.</summary>
    public static long Int64(this DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column));

    /// <summary>A nullable text column.</summary>
    public static string? NullableString(this DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetString(column);
}
