namespace Irrigation.Server.Water;

/// <summary>One bucket of the ledger: its start (Unix seconds), its local date and the litres (tenths) per zone.</summary>
/// <param name="Start">The local midnight it begins at, Unix seconds.</param>
/// <param name="Label">Its first local date, "2026-06-01".</param>
/// <param name="Litres">Tenths of a litre per zone, every zone of the report (0 when none).</param>
public sealed record WaterBucket(long Start, string Label, IReadOnlyDictionary<string, long> Litres);
