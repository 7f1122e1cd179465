using Irrigation.Core.Logging;

namespace Irrigation.Firmware.Logging
{
    /// <summary>
    /// The firmware's own log lines (boot, Wi-Fi, link, watchdog, config), in the same one-line format the
    /// shared core writes: <c>[00012.345] W sensor: dht read failed pin=26 misses=3</c> = uptime in seconds
    /// with milliseconds, level letter (I, W, E), tag, message. Thread-safe because the sink is.
    /// </summary>
    /// <remarks>REVIEW: once the core exposes its line formatter, use it here instead of this copy.</remarks>
    public sealed class FirmwareLog
    {
        private readonly ILogSink _sink;

        /// <summary>Writes finished lines to <paramref name="sink"/>.</summary>
        public FirmwareLog(ILogSink sink)
        {
            _sink = sink;
        }

        /// <summary>An informational line.</summary>
        public void Info(string tag, string message)
        {
            Write('I', tag, message);
        }

        /// <summary>Something is wrong but the controller carries on.</summary>
        public void Warn(string tag, string message)
        {
            Write('W', tag, message);
        }

        /// <summary>Something needs a person: the message says what to do.</summary>
        public void Error(string tag, string message)
        {
            Write('E', tag, message);
        }

        /// <summary>Formats one line for <paramref name="uptimeMs"/> (public so the format can be checked).</summary>
        public static string Format(long uptimeMs, char level, string tag, string message)
        {
            long seconds = uptimeMs / 1000;
            long millis = uptimeMs % 1000;
            return "[" + Pad(seconds, 5) + "." + Pad(millis, 3) + "] " + level + " " + tag + ": " + message;
        }

        private void Write(char level, string tag, string message)
        {
            _sink.WriteLine(Format(Device.Uptime.Milliseconds, level, tag, message));
        }

        // Integer padding by hand: custom numeric formats are not reliable on the device runtime.
        private static string Pad(long value, int width)
        {
            string text = value.ToString();
            while (text.Length < width)
            {
                text = "0" + text;
            }

            return text;
        }
    }
}
