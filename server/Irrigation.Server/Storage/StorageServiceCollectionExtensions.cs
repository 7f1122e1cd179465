using Irrigation.Server.Options;
using Irrigation.Server.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Storage;

/// <summary>Registers the storage (SQLite today; another <see cref="IEventStore"/>/<see cref="IAccountStore"/> pair could replace it).</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Binds <see cref="StorageOptions"/> from "Storage" and registers the SQLite stores and retention.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<SqliteDeviceKeys>();
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        services.AddHostedService<SeriesIndexService>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
