namespace Irrigation.Core.Link
{
    /// <summary>The state of the transport under the link.</summary>
    public enum LinkState
    {
        /// <summary>Not connected (never connected, failed, or closed).</summary>
        Closed,
        /// <summary>A connection attempt is running in the background.</summary>
        Connecting,
        /// <summary>The WebSocket is open: frames can be sent and received.</summary>
        Open,
    }
}
