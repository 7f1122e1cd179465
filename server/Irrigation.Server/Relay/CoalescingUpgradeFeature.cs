using Microsoft.AspNetCore.Http.Features;

namespace Irrigation.Server.Relay;

/// <summary>
/// Stands in for Kestrel's upgrade feature on dashboard requests, so the WebSocket the middleware creates runs over
/// a <see cref="CoalescingStream"/> that the dashboard's session can reach (<see cref="Stream"/>).
/// </summary>
public sealed class CoalescingUpgradeFeature(IHttpUpgradeFeature inner, int capacity) : IHttpUpgradeFeature
{
    /// <summary>The stream handed to the WebSocket, once upgraded.</summary>
    public CoalescingStream? Stream { get; private set; }

    /// <inheritdoc />
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    /// <inheritdoc />
    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CoalescingStream(await inner.UpgradeAsync(), capacity);
        return Stream;
    }
}
