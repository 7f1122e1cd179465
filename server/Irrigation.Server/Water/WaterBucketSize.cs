namespace Irrigation.Server.Water;

/// <summary>The buckets of the water ledger: local days or local weeks (Monday to Sunday).</summary>
public enum WaterBucketSize
{
    /// <summary>From local midnight to the next.</summary>
    Day,

    /// <summary>From Monday 00:00 local to the next Monday.</summary>
    Week,
}
