namespace Irrigation.Server.Relay;

/// <summary>
/// What the relay needs from the other server instances, as SignalR's lifetime managers do it: the single-instance
/// implementation answers from this process alone (<see cref="LocalBackplane"/>), the Redis one
/// (<see cref="Cluster.RedisBackplane"/>) shares presence, frames and commands with every instance.
/// </summary>
public interface IRelayBackplane
{
    /// <summary>True when the backplane connects several instances.</summary>
    bool IsClustered { get; }

    /// <summary>Starts following the device's frames published by other instances (once per device and instance).</summary>
    Task WatchDeviceAsync(string deviceId);

    /// <summary>True when the device's controller is connected to any instance.</summary>
    Task<bool> IsOnlineAsync(string deviceId);

    /// <summary>Hands a device's tagged frame to the other instances, in order per device; never waits.</summary>
    void Publish(string deviceId, byte[] frame);

    /// <summary>
    /// Records that this instance now holds the device's controller connection; a previous connection on another
    /// instance is closed there (replaced).
    /// </summary>
    Task ClaimAsync(ControllerSession session);

    /// <summary>Gives the claim up if this connection still holds it; true when the device is now offline everywhere.</summary>
    Task<bool> ReleaseAsync(ControllerSession session);

    /// <summary>Queues a frame (a command) on the device's controller connection, wherever it is.</summary>
    Task<Delivery> SendToControllerAsync(string deviceId, byte[] frame, CancellationToken ct = default);
}
