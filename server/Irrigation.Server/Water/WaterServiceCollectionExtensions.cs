namespace Irrigation.Server.Water;

/// <summary>Registration of the water ledger.</summary>
public static class WaterServiceCollectionExtensions
{
    /// <summary>Adds <see cref="WaterLedger"/>.</summary>
    public static IServiceCollection AddWaterLedger(this IServiceCollection services) => services.AddSingleton<WaterLedger>();
}
