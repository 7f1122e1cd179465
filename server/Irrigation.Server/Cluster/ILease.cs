namespace Irrigation.Server.Cluster;

/// <summary>
/// A job that exactly one instance of the cluster may run at a time (the MQTT bridge): the holder renews the lease
/// every <see cref="RenewInterval"/>, and another instance takes it over only after the holder stopped renewing.
/// </summary>
public interface ILease
{
    /// <summary>How often the holder must call <see cref="HoldAsync"/>; also how long a waiting instance waits between tries.</summary>
    TimeSpan RenewInterval { get; }

    /// <summary>Takes the lease when it is free, or renews it when this instance holds it; true while this instance holds it.</summary>
    Task<bool> HoldAsync(CancellationToken ct);

    /// <summary>Gives the lease up at once (when this instance holds it), so another instance takes over without waiting.</summary>
    Task ReleaseAsync();
}
