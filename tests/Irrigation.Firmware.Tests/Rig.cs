using Irrigation.Core.Protocol;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Network;

namespace Irrigation.Firmware.Tests
{
    /// <summary>The firmware's parts built as Program builds them, with timings short enough for a test.</summary>
    public static class Rig
    {
        public const string IpUrl = "ws://192.168.1.10:5000/";
        public const string NameUrl = "ws://irrigation.example.org:5000/";

        public static FirmwareLog NewLog()
        {
            return new FirmwareLog(new SerialLogSink(23, 13, 115200));
        }

        public static WebSocketTransport NewTransport(FirmwareLog log, int abandonAfterMs = 300, int stuckAfterMs = 60000, int receiveQueueChars = 4096)
        {
            return new WebSocketTransport(1000, 500, ServerMessageParser.MaxServerFrameBytes, receiveQueueChars, abandonAfterMs, stuckAfterMs, null, log);
        }
    }
}
