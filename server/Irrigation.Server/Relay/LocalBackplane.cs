namespace Irrigation.Server.Relay;

/// <summary>One server alone: presence and command delivery come from this process's <see cref="ControllerRegistry"/>.</summary>
public sealed class LocalBackplane(ControllerRegistry controllers) : IRelayBackplane
{
    /// <inheritdoc />
    public bool IsClustered => false;

    /// <inheritdoc />
    public Task WatchDeviceAsync(string deviceId) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<bool> IsOnlineAsync(string deviceId) => Task.FromResult(controllers.Find(deviceId) is not null);

    /// <inheritdoc />
    public void Publish(string deviceId, byte[] frame)
    {
    }

    /// <inheritdoc />
    public Task ClaimAsync(ControllerSession session) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(ControllerSession session) => Task.FromResult(true);

    /// <inheritdoc />
    public Task<Delivery> SendToControllerAsync(string deviceId, byte[] frame, CancellationToken ct = default) =>
        Task.FromResult(controllers.Find(deviceId) is not { } session ? Delivery.Offline
            : session.TrySend(frame) ? Delivery.Sent : Delivery.Busy);
}
