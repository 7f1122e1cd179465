namespace Irrigation.Server.Auth;

/// <summary>Registers token checks and provisioning.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Adds <see cref="UserAuthenticator"/>, <see cref="DeviceAuthenticator"/> and <see cref="Provisioning"/>.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddSingleton<UserAuthenticator>();
        services.AddSingleton<DeviceAuthenticator>();
        services.AddSingleton<Provisioning>();
        return services;
    }
}
