using Irrigation.Server.Options;
using Irrigation.Server.Storage.Postgres;
using Irrigation.Server.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Storage;

/// <summary>Registers the storage: one <see cref="Database"/> on the configured engine and the stores over it.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Binds <see cref="StorageOptions"/> from "Storage" and registers the database, the stores and retention.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton(sp => CreateDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IAccountStore, SqlAccountStore>();
        services.AddSingleton<IEventStore, SqlEventStore>();
        services.AddSingleton<IAuditLog, SqlAuditLog>();
        services.AddSingleton<ISettingsStore, SqlSettingsStore>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Creates the schema of a new database, or upgrades an old one (each step announced on stderr), before anything
    /// reads or writes it.
    /// </summary>
    public static Task MigrateStorageAsync(this IServiceProvider services) =>
        services.GetRequiredService<Database>().MigrateAsync(line => Console.Error.WriteLine(line));

    /// <summary>The database of <c>Storage:Provider</c>; a configuration mistake fails here, with what to set.</summary>
    public static Database CreateDatabase(StorageOptions options, IConfiguration configuration) => options.Provider.ToLowerInvariant() switch
    {
        StorageOptions.Sqlite => new SqliteDatabase(options),
        StorageOptions.Postgres => new PostgresDatabase(configuration.GetConnectionString("Postgres") is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException(
                "Storage:Provider is postgres but ConnectionStrings:Postgres is empty: set it to an Npgsql connection string, " +
                "e.g. --ConnectionStrings:Postgres \"Host=127.0.0.1;Username=irrigation;Password=…;Database=irrigation\".")),
        _ => throw new InvalidOperationException($"Storage:Provider must be {StorageOptions.Sqlite} or {StorageOptions.Postgres}, not '{options.Provider}'."),
    };
}
