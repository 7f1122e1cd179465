using Irrigation.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Tests.Storage;

/// <summary>The positional statement of the ingest writer and the series indexer, which skips binds that repeat.</summary>
public class SqliteRawStatementTests
{
    [Fact]
    public void Bind_RepeatedChangedAndNullValues_EachRowStoresWhatWasBound()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (a INTEGER, b INTEGER, c TEXT)";
            create.ExecuteNonQuery();
        }

        using (var insert = new SqliteRawStatement(connection, "INSERT INTO t(a, b, c) VALUES (?1, ?2, ?3)"))
        {
            insert.Bind(1, 5).Bind(2, (long?)null).Bind(3, (string?)null).Execute();
            insert.Bind(1, 5).Bind(2, 7).Bind(3, "zone1").Execute();
            insert.Bind(1, 5).Bind(2, (long?)null).Bind(3, "zone1").Execute();
            insert.Bind(1, 6).Bind(2, 7).Bind(3, (string?)null).Execute();
            insert.Bind(1, 6).Bind(2, 7).Bind(3, (string?)null).Execute();
        }

        using var select = new SqliteRawStatement(connection, "SELECT a, coalesce(b, -1), coalesce(c, '-') = 'zone1' FROM t ORDER BY rowid");
        var rows = new List<(long, long, long)>();
        while (select.Read())
        {
            rows.Add((select.Int64(0), select.Int64(1), select.Int64(2)));
        }

        Assert.Equal([(5L, -1L, 0L), (5L, 7L, 1L), (5L, -1L, 1L), (6L, 7L, 0L), (6L, 7L, 0L)], rows);
    }
}
