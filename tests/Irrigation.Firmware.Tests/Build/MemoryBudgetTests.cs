using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Core.Settings;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Settings;
using Irrigation.Firmware.Tests.Models;
using Irrigation.Tests.Support;

namespace Irrigation.Firmware.Tests.Build
{
    /// <summary>
    /// The device's worst-case memory on a board without PSRAM, derived from the limits in the code (the caps of
    /// FirmwareDefaults, the core's buffer sizes, the transport's bounds, the configs the core builds from a maximal
    /// file and a maximal settings frame, measured object by object with nanoCLR's heap layout: NanoHeap), against
    /// the table in docs/firmware-core.md.
    /// </summary>
    public class MemoryBudgetTests : ModelTest
    {
        /// <summary>What a board without PSRAM can give the application, at most (docs/firmware-core.md).</summary>
        private const int BudgetBytes = 64 * 1024;

        private const string Held = "held";
        private const string TickStep = "tick";
        private const string Applying = "apply";

        private static readonly MemoryCaps Caps = BoardLimits.For(hasPsram: false);

        /// <summary>Each part of the worst case, in bytes, with its group (see <see cref="Total"/>).</summary>
        public static (string Group, string Part, int Bytes)[] WorstCase()
        {
            int writer = WriterCapacity();
            ControllerConfig file = MaximalFile();
            var counted = NanoHeap.Counted();
            int fileBytes = NanoHeap.Graph(file, counted);
            ConfigReadResult running = ControllerConfigReader.ReadSettings(MaximalSettings(), file, false);
            Assert.True(running.IsValid, string.Join("; ", running.Errors));
            // The context keeps the zone names of the last four configs for buffered events (ControllerContext).
            int runningBytes = NanoHeap.Graph(running.Config, counted) + 4 * NanoHeap.References(running.Config.Zones.Length);
            ConfigReadResult applied = ControllerConfigReader.ReadSettings(MaximalSettings(), file, false);
            int newConfigBytes = NanoHeap.Graph(applied.Config, counted);
            ConfigReadResult warned = ControllerConfigReader.ReadSettings(MaximalWarnings(), file, false);
            Assert.True(warned.IsValid && warned.Warnings.Length == ControllerConfigReader.MaxMessages, string.Join("; ", warned.Errors));
            int slotBytes = ServerMessageParser.MaxServerFrameBytes + SlotHeaderChars();
            return new[]
            {
                (Held, "offline buffer records", EventBufferRecords(FirmwareDefaults.BufferCapacityWithoutPsram)),
                (Held, "offline buffer texts", NanoHeap.References(Controller.TextSlots) + Controller.TextSlots * NanoHeap.CharString(EventBuffer.MaxTextChars)),
                (Held, "JSON writer buffer", NanoHeap.Array(writer, 2)),
                // The library's send queue: hello plus the send window, each frame as UTF-8 bytes (the writer
                // escapes everything non-ASCII, so bytes = characters).
                (Held, "library send queue", (FirmwareDefaults.SendWindowWithoutPsram + 1) * NanoHeap.Array(writer, 1)),
                (Held, "received frame in the library (bytes)", NanoHeap.Array(ServerMessageParser.MaxServerFrameBytes, 1)),
                (Held, "receive queue", ReceiveQueue()),
                (Held, "log line buffer", NanoHeap.Array(Logger.MaxLineChars, 2)),
                (Held, "the board's file", fileBytes),
                (Held, "the running settings", runningBytes),
                (Held, "the last rejection's messages", NanoHeap.References(Controller.MaxRejectionMessages) + Controller.MaxRejectionMessages * NanoHeap.CharString(Controller.MaxRejectionMessageChars)),
                (TickStep, "encoded frame being sent (string)", NanoHeap.Utf8String(writer)),
                (TickStep, "frame being handled (string)", NanoHeap.Utf8String(ServerMessageParser.MaxServerFrameBytes)),
                (Applying, "settings object (a slice of the frame)", NanoHeap.Utf8String(ServerMessageParser.MaxServerFrameBytes)),
                (Applying, "the new config", newConfigBytes),
                (Applying, "the reader's warnings", NanoHeap.Graph(warned.Warnings, NanoHeap.Counted())),
                // SettingsStore.Save: the slot text and its UTF-8 bytes in File.WriteAllText, then the read-back's
                // bytes and text (FlashFiles.ReadText); the two phases do not overlap, each holds both.
                (Applying, "writing and reading back the slot", NanoHeap.Utf8String(slotBytes) + NanoHeap.Array(slotBytes, 1)),
            };
        }

        /// <summary>
        /// Everything held at once, plus the largest of the tick thread's steps: it encodes a frame, handles a
        /// frame or applies settings, one at a time (the frame's text is gone before settings are applied:
        /// Uplink.ReceiveFrame).
        /// </summary>
        public static int Total((string Group, string Part, int Bytes)[] rows)
        {
            int held = rows.Where(r => r.Group == Held).Sum(r => r.Bytes);
            int applying = rows.Where(r => r.Group == Applying).Sum(r => r.Bytes);
            int tick = rows.Where(r => r.Group == TickStep).Select(r => r.Bytes).Append(applying).Max();
            return held + tick;
        }

        private static int EventBufferRecords(int capacity) =>
            // EventBuffer: kind (byte), seq and time (int), EventBuffer.Fields values (int) and a text slot (byte) per event.
            NanoHeap.Array(capacity, 1) + 2 * NanoHeap.Array(capacity, 4) + NanoHeap.Array(capacity * EventBuffer.Fields, 4) + NanoHeap.Array(capacity, 1);

        private static int ReceiveQueue() =>
            // FrameQueue: the frames' bytes (the library's own arrays), each with its array header, and the two rings.
            FirmwareDefaults.LinkReceiveQueueBytes + FirmwareDefaults.LinkReceiveQueueFrames * NanoHeap.Array(0, 1)
            + NanoHeap.References(FirmwareDefaults.LinkReceiveQueueFrames) + NanoHeap.Array(FirmwareDefaults.LinkReceiveQueueFrames, 4);

        private static int SlotHeaderChars()
        {
            // SettingsStore's slot: {"generation":G,"version":V,"crc32":"xxxxxxxx","settings":...} with the largest G and V.
            string max = int.MaxValue.ToString(CultureInfo.InvariantCulture);
            return ("{\"generation\":" + max + ",\"version\":" + max + ",\"crc32\":\"00000000\",\"settings\":}").Length;
        }

        private static int WriterCapacity()
        {
            var serial = new SerialLogSink(23, 13, 115200);
            Controller controller = Rig.NewController(Rig.OpenRelays(), serial);
            object uplink = typeof(Controller).GetField("_uplink", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(controller);
            var writer = (JsonWriter)uplink.GetType().GetField("_writer", BindingFlags.NonPublic | BindingFlags.Instance).GetValue(uplink);
            return writer.Capacity;
        }

        private static string ZoneName(int i) => new string((char)('a' + i), ControllerConfig.MaxZoneNameChars);

        /// <summary>The settings keys at their largest: one zone per relay, one probe per soil input, every schedule the caps allow.</summary>
        private static string SettingsKeys(int extraZoneKeys = 0)
        {
            var zones = Enumerable.Range(0, BoardConfig.RelayPins.Length).Select(i =>
                "{\"name\":\"" + ZoneName(i) + "\",\"max_duration\":86400,\"soil_probe\":" + i + ",\"dry\":300,\"wet\":450,\"run\":600,\"min_interval\":3600,\"cycle\":600,\"soak\":1800"
                + string.Concat(Enumerable.Range(0, extraZoneKeys).Select(k => ",\"" + i + "_" + k + new string('k', 60) + "\":0")) + "}");
            var soil = Enumerable.Range(0, BoardConfig.SoilAdcChannels.Length).Select(_ => "{\"dry_raw\":3400,\"wet_raw\":1400}");
            var schedules = Enumerable.Range(0, extraZoneKeys > 0 ? 0 : Caps.MaxSchedules).Select(i =>
                "{\"zone\":\"" + ZoneName(i % BoardConfig.RelayPins.Length) + "\",\"at\":\"05:30\",\"days\":[\"mon\",\"wed\",\"fri\"],\"duration\":900}");
            return "\"zones\":[" + string.Join(",", zones) + "],\"soil\":[" + string.Join(",", soil) + "],\"max_open_zones\":" + BoardConfig.RelayPins.Length
                + ",\"schedules\":[" + string.Join(",", schedules) + "],\"seasonal_percent\":250,\"rain_delay_until\":4102444799,\"freeze_skip_below\":20"
                + ",\"dht_interval\":30,\"soil_interval\":60,\"soil_samples\":32,\"status_interval\":60,\"keepalive\":30,\"watchdog\":150"
                + ",\"buffer_capacity\":" + Caps.MaxBufferCapacity + ",\"send_window\":" + Caps.MaxSendWindow + ",\"backoff_cap\":600,\"stable_after\":3600";
        }

        /// <summary>I:\irrigation.json at its largest for this board: every string at its limit, every setting at the caps.</summary>
        private static ControllerConfig MaximalFile()
        {
            string server = "ws://192.168.1.10:5000/" + new string('p', ControllerConfig.MaxServerUrlChars - 23);
            string text = "{\"device\":\"" + new string('d', 64) + "\",\"token\":\"" + new string('t', 256) + "\",\"server\":\"" + server
                + "\",\"wifi\":{\"ssid\":\"" + new string('s', 32) + "\",\"password\":\"" + new string('w', 64) + "\"}," + SettingsKeys() + "}";
            ConfigReadResult read = ControllerConfigReader.Read(text, FirmwareDefaults.FirmwareVersion, long.MaxValue);
            Assert.True(read.IsValid, string.Join("; ", read.Errors));
            Assert.Null(BoardLimits.ScheduleError(read.Config, Caps));
            return read.Config;
        }

        /// <summary>The largest settings this board runs, in a frame the server may send.</summary>
        private static string MaximalSettings()
        {
            string settings = "{" + SettingsKeys() + "}";
            Assert.True(Encoding.UTF8.GetByteCount(SettingsFrame(settings)) <= ServerMessageParser.MaxServerFrameBytes, "the maximal settings do not fit a frame");
            return settings;
        }

        /// <summary>Settings with as many unknown keys as the reader reports, each with its longest path.</summary>
        private static string MaximalWarnings()
        {
            string settings = "{" + SettingsKeys(extraZoneKeys: ControllerConfigReader.MaxMessages / BoardConfig.RelayPins.Length + 1) + "}";
            Assert.True(Encoding.UTF8.GetByteCount(SettingsFrame(settings)) <= ServerMessageParser.MaxServerFrameBytes, "the warnings frame does not fit a frame");
            return settings;
        }

        private static string SettingsFrame(string settings) =>
            "{\"event\":\"settings\",\"data\":{\"version\":" + int.MaxValue + ",\"utc_offset\":-43200,\"settings\":" + settings + "}}";

        private static string Bytes(int bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture).Replace(",", " ") + " B";

        [Fact]
        public void WorstCase_NoPsram_FitsTheBudget()
        {
            var rows = WorstCase();
            int total = Total(rows);

            Assert.True(total <= BudgetBytes, $"worst case {total} B > {BudgetBytes} B:\n" + string.Join("\n", rows.Select(r => r.Group + " " + r.Part + ": " + r.Bytes)));
        }

        [Fact]
        public void FirmwareCoreDoc_BudgetTable_IsTheDerivedWorstCase()
        {
            string doc = File.ReadAllText(RepoPaths.Combine("docs", "firmware-core.md"));
            var rows = WorstCase();
            foreach (var (_, part, bytes) in rows)
            {
                Assert.Matches(new Regex(@"\|[^|\n]*" + Regex.Escape(part) + @"[^|\n]*\| " + Bytes(bytes) + " \\|"), doc);
            }

            int applying = rows.Where(r => r.Group == Applying).Sum(r => r.Bytes);
            Assert.Matches(new Regex(@"\| \*\*applying a maximal settings frame\*\*[^|]*\| \*\*" + Bytes(applying) + @"\*\* \|"), doc);
            Assert.Contains("**Worst case, no PSRAM: " + Bytes(Total(rows)) + "**", doc);
        }

        [Fact]
        public void BoardLimits_NoPsram_CapsBufferCapacityAndSendWindowWithAWarning()
        {
            ControllerConfig config = Rig.NewConfig();
            config.BufferCapacity = ControllerConfig.MaxBufferCapacity;
            config.SendWindow = ControllerConfig.MaxSendWindow;
            var log = new FirmwareLog(new SerialLogSink(23, 13, 115200));

            Assert.False(BoardLimits.HasPsram());
            Assert.Equal(2, BoardLimits.Apply(config, BoardLimits.For(BoardLimits.HasPsram()), log));

            Assert.Equal(FirmwareDefaults.BufferCapacityWithoutPsram, config.BufferCapacity);
            Assert.Equal(FirmwareDefaults.SendWindowWithoutPsram, config.SendWindow);
            Assert.Empty(config.Validate());
            Assert.True(ModelSerial.Contains("buffer_capacity 2048 lowered to " + FirmwareDefaults.BufferCapacityWithoutPsram));
        }

        [Fact]
        public void BoardLimits_WithPsram_LeavesTheConfigAlone()
        {
            ModelBoard.PsramBytes = 4 * 1024 * 1024;
            ControllerConfig config = Rig.NewConfig();
            config.BufferCapacity = ControllerConfig.MaxBufferCapacity;

            Assert.True(BoardLimits.HasPsram());
            Assert.Equal(0, BoardLimits.Apply(config, BoardLimits.For(true), new FirmwareLog(new SerialLogSink(23, 13, 115200))));
            Assert.Equal(ControllerConfig.MaxBufferCapacity, config.BufferCapacity);
        }

        [Fact]
        public void LargestServerFrame_IrrigateNamingEveryZone_FitsMaxServerFrameBytes()
        {
            // {"event":"irrigate","data":{"id":...,"zones":[...],"duration":...}} with 16 zones of 32 characters
            // and a 64-character id: the largest command the server sends a controller (ServerFrames / CommandService).
            string zones = string.Join(",", new string[ServerMessageParser.MaxZones].Select((_, i) => "\"" + new string((char)('a' + i % 26), 32) + "\""));
            string frame = "{\"event\":\"irrigate\",\"data\":{\"id\":\"" + new string('c', 64) + "\",\"zones\":[" + zones + "],\"duration\":2147483647}}";

            Assert.True(Encoding.UTF8.GetByteCount(frame) <= ServerMessageParser.MaxServerFrameBytes);
            Assert.True(ServerMessageParser.MaxServerFrameBytes <= FirmwareDefaults.LinkReceiveQueueBytes, "the receive queue must hold the largest frame");
        }
    }
}
