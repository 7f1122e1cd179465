using System;
using System.IO;
using System.Reflection;
using System.Linq;
using System.Text.RegularExpressions;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Settings;
using Irrigation.Firmware.Tests.Models;
using Irrigation.Tests.Support;

namespace Irrigation.Firmware.Tests.Build
{
    /// <summary>
    /// The device's worst-case memory, derived from the limits in the code (config caps for a board without
    /// PSRAM, the core's buffer sizes, the transport's bounds), against the table in docs/firmware-core.md.
    /// </summary>
    public class MemoryBudgetTests : ModelTest
    {
        /// <summary>What a board without PSRAM can give the application, at most (docs/firmware-core.md).</summary>
        private const int BudgetBytes = 64 * 1024;

        /// <summary>Each part of the worst case, in bytes (UTF-16 strings: 2 bytes a character).</summary>
        public static (string Part, int Bytes)[] WorstCase()
        {
            int recordBytes = 1 + 4 + 4 + 4 * EventBuffer.Fields + 1;   // kind, seq, time, values, text slot index
            int writerChars = WriterCapacity();
            int window = FirmwareDefaults.SendWindowWithoutPsram;
            return new[]
            {
                ("offline buffer records", FirmwareDefaults.BufferCapacityWithoutPsram * recordBytes),
                ("offline buffer texts", Controller.TextSlots * EventBuffer.MaxTextChars * 2),
                ("JSON writer buffer", writerChars * 2),
                ("encoded frame being sent (string)", writerChars * 2),
                // The library's send queue: hello plus the send window, each frame as UTF-8 bytes (the writer
                // escapes everything non-ASCII, so bytes = characters).
                ("library send queue", (window + 1) * writerChars),
                ("received frame in the library (bytes)", ServerMessageParser.MaxServerFrameBytes),
                ("received frame decoded (string)", ServerMessageParser.MaxServerFrameBytes * 2),
                ("receive queue", FirmwareDefaults.LinkReceiveQueueChars * 2),
                ("log line buffer", Logger.MaxLineChars * 2),
            };
        }

        private static int WriterCapacity()
        {
            var serial = new SerialLogSink(23, 13, 115200);
            Controller controller = Rig.NewController(Rig.OpenRelays(), serial);
            object uplink = typeof(Controller).GetField("_uplink", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(controller);
            var writer = (JsonWriter)uplink.GetType().GetField("_writer", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(uplink);
            return writer.Capacity;
        }

        [Fact]
        public void WorstCase_NoPsram_FitsTheBudget()
        {
            int total = 0;
            foreach (var (_, bytes) in WorstCase())
            {
                total += bytes;
            }

            Assert.True(total <= BudgetBytes, $"worst case {total} B > {BudgetBytes} B");
        }

        [Fact]
        public void FirmwareCoreDoc_BudgetTable_IsTheDerivedWorstCase()
        {
            string doc = File.ReadAllText(RepoPaths.Combine("docs", "firmware-core.md"));
            int total = 0;
            foreach (var (part, bytes) in WorstCase())
            {
                total += bytes;
                Assert.Matches(new Regex(@"\| " + Regex.Escape(part) + @"[^|]*\| " + bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture).Replace(",", " ") + " B \\|"), doc);
            }

            Assert.Contains("**Worst case, no PSRAM: " + total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture).Replace(",", " ") + " B**", doc);
        }

        [Fact]
        public void BoardLimits_NoPsram_CapsBufferCapacityAndSendWindowWithAWarning()
        {
            ControllerConfig config = Rig.NewConfig();
            config.BufferCapacity = ControllerConfig.MaxBufferCapacity;
            config.SendWindow = 64;
            var log = new FirmwareLog(new SerialLogSink(23, 13, 115200));

            Assert.False(BoardLimits.HasPsram());
            Assert.Equal(2, BoardLimits.Apply(config, BoardLimits.HasPsram(), log));

            Assert.Equal(FirmwareDefaults.BufferCapacityWithoutPsram, config.BufferCapacity);
            Assert.Equal(FirmwareDefaults.SendWindowWithoutPsram, config.SendWindow);
            Assert.Empty(config.Validate());
            Assert.True(ModelSerial.Contains("buffer_capacity 2048 lowered to 512"));
        }

        [Fact]
        public void BoardLimits_WithPsram_LeavesTheConfigAlone()
        {
            ModelBoard.PsramBytes = 4 * 1024 * 1024;
            ControllerConfig config = Rig.NewConfig();
            config.BufferCapacity = ControllerConfig.MaxBufferCapacity;

            Assert.True(BoardLimits.HasPsram());
            Assert.Equal(0, BoardLimits.Apply(config, true, new FirmwareLog(new SerialLogSink(23, 13, 115200))));
            Assert.Equal(ControllerConfig.MaxBufferCapacity, config.BufferCapacity);
        }

        [Fact]
        public void LargestServerFrame_IrrigateNamingEveryZone_FitsMaxServerFrameBytes()
        {
            // {"event":"irrigate","data":{"id":...,"zones":[...],"duration":...}} with 16 zones of 32 characters
            // and a 64-character id: the largest frame the server sends a controller (ServerFrames / CommandService).
            string zones = string.Join(",", new string[ServerMessageParser.MaxZones].Select((_, i) => "\"" + new string((char)('a' + i % 26), 32) + "\""));
            string frame = "{\"event\":\"irrigate\",\"data\":{\"id\":\"" + new string('c', 64) + "\",\"zones\":[" + zones + "],\"duration\":2147483647}}";

            Assert.True(System.Text.Encoding.UTF8.GetByteCount(frame) <= ServerMessageParser.MaxServerFrameBytes);
            Assert.True(ServerMessageParser.MaxServerFrameBytes <= FirmwareDefaults.LinkReceiveQueueChars);
        }
    }
}
