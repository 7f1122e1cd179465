namespace Irrigation.Server.Settings;

/// <summary>Registration of device settings and their delivery.</summary>
public static class SettingsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="SettingsService"/> and the <see cref="OffsetWatcher"/> of DST changes.</summary>
    public static IServiceCollection AddDeviceSettings(this IServiceCollection services)
    {
        services.AddSingleton<SettingsService>();
        services.AddSingleton<OffsetWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OffsetWatcher>());
        return services;
    }
}
