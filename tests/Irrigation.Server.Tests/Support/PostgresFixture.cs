using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Support;

/// <summary>One PostgreSQL server for every test of the "postgres" collection; each test creates its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The server (started in <see cref="InitializeAsync"/>).</summary>
    public PostgresServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>Tests that share <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
