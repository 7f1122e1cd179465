using Irrigation.Core.Logging;

namespace Irrigation.Firmware.Logging
{
    /// <summary>
    /// The firmware's own log lines (boot, Wi-Fi, link, watchdog, config), written by the shared core's
    /// <see cref="Logger"/> so they have exactly the core's format:
    /// <c>[00012.345] W sensor: dht read failed pin=26 misses=3</c>.
    /// </summary>
    public sealed class FirmwareLog
    {
        private readonly Logger _logger;
        // The Wi-Fi thread, the WebSocket threads and the watchdog timer all log, and the core's Logger reuses
        // one line buffer, so every write is serialized here.
        private readonly object _lock = new object();

        /// <summary>Writes finished lines to <paramref name="sink"/>.</summary>
        public FirmwareLog(ILogSink sink)
        {
            _logger = new Logger(sink);
        }

        /// <summary>An informational line.</summary>
        public void Info(string tag, string message)
        {
            Write(LogLevel.Info, tag, message);
        }

        /// <summary>Something is wrong but the controller carries on.</summary>
        public void Warn(string tag, string message)
        {
            Write(LogLevel.Warning, tag, message);
        }

        /// <summary>Something failed and needs a person.</summary>
        public void Error(string tag, string message)
        {
            Write(LogLevel.Error, tag, message);
        }

        private void Write(LogLevel level, string tag, string message)
        {
            lock (_lock)
            {
                _logger.SetUptime(Device.Uptime.Milliseconds);
                _logger.Write(level, tag, message, null, 0, null, 0, false);
            }
        }
    }
}
