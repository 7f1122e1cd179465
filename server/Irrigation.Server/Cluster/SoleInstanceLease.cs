namespace Irrigation.Server.Cluster;

/// <summary>A server running alone (no <c>ConnectionStrings:Redis</c>) always holds every lease.</summary>
public sealed class SoleInstanceLease : ILease
{
    /// <inheritdoc />
    public TimeSpan RenewInterval => TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public Task<bool> HoldAsync(CancellationToken ct) => Task.FromResult(true);

    /// <inheritdoc />
    public Task ReleaseAsync() => Task.CompletedTask;
}
