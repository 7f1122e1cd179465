namespace Irrigation.Core.Link
{
    /// <summary>
    /// The WebSocket under the link. Nothing here may block the tick thread: <see cref="Connect"/> starts a
    /// background attempt, received frames wait in a bounded queue until <see cref="Receive"/> takes them.
    /// </summary>
    public interface ILinkTransport
    {
        /// <summary>The transport's state right now.</summary>
        LinkState State { get; }

        /// <summary>Starts connecting to <paramref name="url"/> in the background (a fresh socket each time).</summary>
        void Connect(string url);

        /// <summary>Queues one text frame; false when the link is not open or the frame was refused.</summary>
        bool Send(string frame);

        /// <summary>The next received text frame, or null when none is waiting.</summary>
        string Receive();

        /// <summary>Closes the connection (if any); the state becomes <see cref="LinkState.Closed"/>.</summary>
        void Disconnect();
    }
}
