using Irrigation.Server.Storage;
using Irrigation.Server.Storage.Postgres;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Storage;

/// <summary>The storage suite on PostgreSQL 15 (a real server started by the tests), one new database per test.</summary>
[Collection("postgres")]
public sealed class PostgresStorageTests(PostgresFixture postgres) : StorageSuite
{
    /// <inheritdoc />
    protected override async Task<Database> CreateDatabaseAsync() => new PostgresDatabase(await postgres.Server.CreateDatabaseAsync());
}
