namespace Irrigation.Core.Config
{
    /// <summary>
    /// What a board's memory allows of the settings that size memory at run time: <c>buffer_capacity</c> (the
    /// offline buffer, about 30 bytes an event), <c>send_window</c> (frames waiting in the WebSocket library's send
    /// queue, up to 1.5 KB each) and the number of <c>schedules</c> (each one kept in up to three configs while
    /// settings are applied). A board without PSRAM allows less than the config's own limits (docs/firmware-core.md,
    /// "Memory budget"). Settings from the server asking for more are rejected, like settings naming more zones
    /// than the board has valves; the firmware fits the board's file to them at boot.
    /// </summary>
    public sealed class MemoryCaps
    {
        /// <summary>Caps of <paramref name="maxBufferCapacity"/> events, <paramref name="maxSendWindow"/> frames in flight and <paramref name="maxSchedules"/> schedules.</summary>
        public MemoryCaps(int maxBufferCapacity, int maxSendWindow, int maxSchedules)
        {
            MaxBufferCapacity = maxBufferCapacity;
            MaxSendWindow = maxSendWindow;
            MaxSchedules = maxSchedules;
        }

        /// <summary>The config's own limits (a board with PSRAM, the simulator): nothing beyond the config rules.</summary>
        public static MemoryCaps ConfigLimits
        {
            get { return new MemoryCaps(ControllerConfig.MaxBufferCapacity, ControllerConfig.MaxSendWindow, ControllerConfig.MaxSchedules); }
        }

        /// <summary>The largest <c>buffer_capacity</c> this board runs.</summary>
        public int MaxBufferCapacity { get; private set; }

        /// <summary>The largest <c>send_window</c> this board runs.</summary>
        public int MaxSendWindow { get; private set; }

        /// <summary>The most <c>schedules</c> entries this board runs.</summary>
        public int MaxSchedules { get; private set; }
    }
}
