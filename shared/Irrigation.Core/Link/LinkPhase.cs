namespace Irrigation.Core.Link
{
    /// <summary>Where the link supervisor is in its connect cycle.</summary>
    public enum LinkPhase
    {
        /// <summary>Not connected; waiting for the backoff delay to pass.</summary>
        Waiting,
        /// <summary>The transport is connecting in the background.</summary>
        Connecting,
        /// <summary>Open, hello sent, waiting for welcome.</summary>
        Handshake,
        /// <summary>Welcome received: events flow.</summary>
        Ready,
    }
}
