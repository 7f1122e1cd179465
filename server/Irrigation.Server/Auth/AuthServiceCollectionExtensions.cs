namespace Irrigation.Server.Auth;

/// <summary>Registers token checks and provisioning.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Adds <see cref="UserAuthenticator"/>, <see cref="DeviceAuthenticator"/> (with their <see cref="AuthThrottle"/>) and <see cref="Provisioning"/>.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<Options.AuthOptions>().BindConfiguration(Options.AuthOptions.Section);
        services.AddSingleton<AuthThrottle>();
        services.AddSingleton<UserAuthenticator>();
        services.AddSingleton<DeviceAuthenticator>();
        services.AddSingleton<Provisioning>();
        services.AddSingleton<Sharing>();
        services.AddSingleton<CredentialChanges>();
        return services;
    }
}
