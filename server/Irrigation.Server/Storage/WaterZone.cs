namespace Irrigation.Server.Storage;

/// <summary>The zone a measured volume is booked under in the water ledger.</summary>
public static class WaterZone
{
    /// <summary>Booked under a stop that names no zone (a controller with a meter names one; this keeps the volume anyway).</summary>
    public const string Unnamed = "*";

    /// <summary>
    /// The zone of an irrigation_stopped's volume: the one zone it names (always so with a meter), several joined
    /// with '+' (no zone name contains it, so they never meet a real zone), or <see cref="Unnamed"/>.
    /// </summary>
    public static string Of(IReadOnlyList<string> zones) => zones.Count == 0 ? Unnamed : string.Join('+', zones);
}
