namespace Irrigation.Server.Storage;

/// <summary>The litres (tenths) booked under one zone in one bucket of a water query.</summary>
/// <param name="Bucket">The bucket's index in the query's bounds.</param>
/// <param name="Zone">The ledger zone (<see cref="WaterZone.Of"/>).</param>
/// <param name="Litres">The sum of the stored volumes, tenths of a litre.</param>
public readonly record struct WaterTotal(int Bucket, string Zone, long Litres);
