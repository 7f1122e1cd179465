using Irrigation.Core.Protocol;

namespace Irrigation.Firmware
{
    /// <summary>Fixed timings, limits and paths of the device application (pins live in <see cref="BoardConfig"/>).</summary>
    public static class FirmwareDefaults
    {
        /// <summary>Reported in the boot log line.</summary>
        public const string FirmwareVersion = "1.0.0";

        /// <summary>The configuration file on the internal flash drive (written by nanoff-flash.ps1).</summary>
        public const string ConfigPath = "I:\\irrigation.json";

        /// <summary>
        /// The two slots of the settings the server sent (Irrigation.Core.Settings.SettingsStore: each save writes the
        /// slot that does not hold the newest intact settings, so a power cut mid-write leaves the other one).
        /// </summary>
        public const string SettingsSlotAPath = "I:\\settings-a.json";

        /// <summary>The second settings slot (see <see cref="SettingsSlotAPath"/>).</summary>
        public const string SettingsSlotBPath = "I:\\settings-b.json";

        /// <summary>
        /// The two slots of the water ledger (Irrigation.Core.Water.WaterStore, the same two-slot scheme as the
        /// settings): volumes not yet acknowledged by the server, the open runs' volume at the last checkpoint, the
        /// baselines and the leak lock, so a reboot loses no run's volume and keeps a leak locked.
        /// </summary>
        public const string WaterSlotAPath = "I:\\water-a.json";

        /// <summary>The second water ledger slot (see <see cref="WaterSlotAPath"/>).</summary>
        public const string WaterSlotBPath = "I:\\water-b.json";

        /// <summary>
        /// How often the tick loop calls the controller, in milliseconds, at most: it ticks sooner when a volume
        /// target is due (Controller.WakeAtMs).
        /// </summary>
        public const int TickPeriodMs = 200;

        /// <summary>One Wi-Fi attempt waits at most this long for an IP address (the helper blocks forever otherwise).</summary>
        public const int WifiAttemptTimeoutMs = 60000;

        /// <summary>Pause between failed Wi-Fi attempts, in milliseconds.</summary>
        public const int WifiRetryDelayMs = 30000;

        /// <summary>The client pings after this long without traffic, in milliseconds.</summary>
        public const int LinkKeepAliveMs = 25000;

        /// <summary>The client closes the socket when a ping gets no pong within this long, in milliseconds.</summary>
        public const int LinkServerTimeoutMs = 15000;

        /// <summary>
        /// Received frames waiting for the tick thread may hold this many bytes (as the library received them;
        /// they are decoded one at a time): one largest frame the server sends. Oldest frames are dropped first.
        /// </summary>
        public const int LinkReceiveQueueBytes = ServerMessageParser.MaxServerFrameBytes;

        /// <summary>
        /// Received frames waiting for the tick thread, at most (each costs an array header besides its bytes; acks
        /// are cumulative, so dropping old small frames loses nothing).
        /// </summary>
        public const int LinkReceiveQueueFrames = 8;

        /// <summary>
        /// First bound of a connect attempt, in milliseconds: older, it is abandoned (the link reads Closed and
        /// backs off; no new attempt while it runs). Below the core's own 30 s connect timeout.
        /// </summary>
        public const int LinkConnectAbandonMs = 20000;

        /// <summary>
        /// Second bound, in milliseconds: an attempt still blocked this long (a handshake that never comes) makes
        /// the watchdog close every valve and reboot, which frees the socket the library cannot abort.
        /// </summary>
        public const int LinkConnectStuckRebootMs = 300000;

        /// <summary>
        /// buffer_capacity at most on a board without PSRAM (the config allows 2048): 128 events × 30 B, about 8
        /// minutes of readings at the template's intervals and 18 at the defaults (irrigation events are dropped
        /// last). Lowered from 512 so that settings fit the 64 KiB budget (docs/firmware-core.md, "Memory budget");
        /// a board with PSRAM keeps 2048.
        /// </summary>
        public const int BufferCapacityWithoutPsram = 128;

        /// <summary>
        /// send_window at most on a board without PSRAM: each frame in flight waits in the library's send queue as up
        /// to 1.5 KB. One in flight, acknowledged by the next tick, replays the 128 buffered events in about 26 s.
        /// Lowered from 2 when water metering came (docs/firmware-core.md, "Memory budget").
        /// </summary>
        public const int SendWindowWithoutPsram = 1;

        /// <summary>
        /// schedules at most on a board without PSRAM (the config allows 32): each schedule lives in up to three
        /// configs while settings are applied. Three programs per relay. Lowered from 16 when water metering came.
        /// </summary>
        public const int SchedulesWithoutPsram = 12;

        /// <summary>The watchdog reboots when the tick loop has not run for this long, in milliseconds.</summary>
        public const int WatchdogStallMs = 60000;

        /// <summary>How often the watchdog looks at the tick loop, in milliseconds.</summary>
        public const int WatchdogCheckPeriodMs = 5000;

        /// <summary>After this many boots in a row that ended early the watchdog stays disarmed (no reboot loop).</summary>
        public const int WatchdogMaxConsecutiveReboots = 3;

        /// <summary>This long fed without a break clears the watchdog's boot count, in milliseconds.</summary>
        public const int WatchdogHealthyResetMs = 600000;

        /// <summary>Where the watchdog keeps its boot count across reboots (internal flash, written at boot and once after).</summary>
        public const string WatchdogStatePath = "I:\\watchdog.txt";
    }
}
