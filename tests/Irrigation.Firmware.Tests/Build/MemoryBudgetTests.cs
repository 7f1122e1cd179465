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
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Core.Settings;
using Irrigation.Core.Water;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Hardware;
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
        private const string SettingsWrite = "writing and reading back the slot";
        private const string LedgerWrite = "writing and reading back the water ledger";

        private static readonly MemoryCaps Caps = BoardLimits.For(hasPsram: false);

        /// <summary>Each part of the worst case, in bytes, with its group (see <see cref="Total"/>).</summary>
        public static (string Group, string Part, int Bytes)[] WorstCase()
        {
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
            int slotBytes = ServerMessageParser.MaxServerFrameBytes + SlotHeaderChars("settings");
            Controller board = BoardController(running.Config, new ScriptedLink());
            int writer = ((JsonWriter)Field(Field(board, "_uplink"), "_writer")).Capacity;
            (int meterBytes, int ledgerBytes) = WaterHeld(board);
            int ledgerSlotBytes = Controller.WriterChars + SlotHeaderChars("water");
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
                (Held, "water metering", meterBytes),
                (Held, "water ledger", ledgerBytes),
                (TickStep, "encoded frame being sent (string)", NanoHeap.Utf8String(writer)),
                (TickStep, "frame being handled (string)", NanoHeap.Utf8String(ServerMessageParser.MaxServerFrameBytes)),
                // WaterLedger.Save: its text (the frame writer's, ASCII: the writer escapes the rest), the slot text
                // SlotFile builds around it and its UTF-8 bytes in File.WriteAllText, then the read-back's bytes and
                // text (FlashFiles.ReadText) while the ledger's text is still alive; the phases do not overlap.
                (TickStep, LedgerWrite, NanoHeap.Utf8String(Controller.WriterChars) + NanoHeap.Utf8String(ledgerSlotBytes) + NanoHeap.Array(ledgerSlotBytes, 1)),
                (Applying, "settings object (a slice of the frame)", NanoHeap.Utf8String(ServerMessageParser.MaxServerFrameBytes)),
                (Applying, "the new config", newConfigBytes),
                (Applying, "the reader's warnings", NanoHeap.Graph(warned.Warnings, NanoHeap.Counted())),
                // SettingsStore.Save: the slot text and its UTF-8 bytes in File.WriteAllText, then the read-back's
                // bytes and text (FlashFiles.ReadText); the two phases do not overlap, each holds both.
                (Applying, SettingsWrite, NanoHeap.Utf8String(slotBytes) + NanoHeap.Array(slotBytes, 1)),
            };
        }

        /// <summary>
        /// Everything held at once, plus the largest of the tick thread's steps: it encodes a frame, handles a
        /// frame, writes the water ledger or applies settings, one at a time (the frame's text is gone before
        /// settings are applied: Uplink.ReceiveFrame). Applying settings may write the ledger too (a zone the
        /// settings drop stops with its volume), after the settings slot was written: one flash write at a time.
        /// </summary>
        public static int Total((string Group, string Part, int Bytes)[] rows)
        {
            int held = rows.Where(r => r.Group == Held).Sum(r => r.Bytes);
            int tick = rows.Where(r => r.Group == TickStep).Select(r => r.Bytes).Append(ApplyingBytes(rows)).Max();
            return held + tick;
        }

        /// <summary>The applying step: its rows, with the larger of the two flash writes in place of the settings slot's.</summary>
        public static int ApplyingBytes((string Group, string Part, int Bytes)[] rows)
        {
            int settingsWrite = rows.Single(r => r.Part == SettingsWrite).Bytes;
            int ledgerWrite = rows.Single(r => r.Part == LedgerWrite).Bytes;
            return rows.Where(r => r.Group == Applying).Sum(r => r.Bytes) - settingsWrite + Math.Max(settingsWrite, ledgerWrite);
        }

        private static int EventBufferRecords(int capacity) =>
            // EventBuffer: kind (byte), seq and time (int), EventBuffer.Fields values (int) and a text slot (byte) per event.
            NanoHeap.Array(capacity, 1) + 2 * NanoHeap.Array(capacity, 4) + NanoHeap.Array(capacity * EventBuffer.Fields, 4) + NanoHeap.Array(capacity, 1);

        private static int ReceiveQueue() =>
            // FrameQueue: the frames' bytes (the library's own arrays), each with its array header, and the two rings.
            FirmwareDefaults.LinkReceiveQueueBytes + FirmwareDefaults.LinkReceiveQueueFrames * NanoHeap.Array(0, 1)
            + NanoHeap.References(FirmwareDefaults.LinkReceiveQueueFrames) + NanoHeap.Array(FirmwareDefaults.LinkReceiveQueueFrames, 4);

        private static int SlotHeaderChars(string payloadKey)
        {
            // SlotFile's slot: {"generation":G,"version":V,"crc32":"xxxxxxxx","<payloadKey>":...} with the largest G and V.
            string max = int.MaxValue.ToString(CultureInfo.InvariantCulture);
            return ("{\"generation\":" + max + ",\"version\":" + max + ",\"crc32\":\"00000000\",\"" + payloadKey + "\":}").Length;
        }

        /// <summary>
        /// What the water component of <paramref name="controller"/> holds (built as Program builds it: every relay of
        /// the board, the meter, the master relay, the ledger in flash; running the maximal settings): the meter's per-zone
        /// run state and rate samples, and the ledger's per-zone state, its store and its (WaterLedger.MaxPending)
        /// 16 unacknowledged volumes, each with a zone name of its own (after a reboot they are parsed from flash,
        /// not shared with the config). Objects counted in other rows (the context and its config, the writer,
        /// the valves, the adapters) are excluded.
        /// </summary>
        private static (int Meter, int Ledger) WaterHeld(Controller controller)
        {
            Assert.True(controller.Config.HasFlowMeter);
            controller.Start(0);
            object meter = Field(controller, "_water");
            object ledger = Field(meter, "_ledger");
            MethodInfo addPending = ledger.GetType().GetMethod("AddPending", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            int maxPending = (int)ledger.GetType().GetField("MaxPending", BindingFlags.Static | BindingFlags.NonPublic).GetValue(null);
            for (int i = 0; i < maxPending; i++)
            {
                addPending.Invoke(ledger, new object[] { long.MaxValue, int.MaxValue - i, long.MaxValue, new string((char)('A' + i), ControllerConfig.MaxZoneNameChars), 0, int.MaxValue });
            }

            var counted = NanoHeap.Counted();
            foreach (object other in new[] { Field(controller, "_context"), Field(controller, "_valves"), Field(meter, "_counter"), Field(Field(controller, "_uplink"), "_writer") })
            {
                NanoHeap.Graph(other, counted);
            }

            int ledgerBytes = NanoHeap.Graph(ledger, counted);
            return (NanoHeap.Graph(meter, counted), ledgerBytes);
        }

        /// <summary>A controller composed as Program composes it, on the model board, over <paramref name="link"/>.</summary>
        private static Controller BoardController(ControllerConfig config, ILinkTransport link)
        {
            var serial = new SerialLogSink(23, 13, 115200);
            var log = new FirmwareLog(serial);
            var gpio = new System.Device.Gpio.GpioController();
            var flash = new FlashFiles();
            return new Controller(config, new Dht22ClimateSensor(BoardConfig.DhtEchoPin, BoardConfig.DhtTriggerPin, gpio, log),
                AdcSoilProbe.OpenAll(BoardConfig.SoilAdcChannels), GpioValve.OpenAll(gpio, BoardConfig.RelayPins, BoardConfig.RelayActiveLow), link, serial, new DeviceInfo(), 7,
                new SettingsStore(flash, FirmwareDefaults.SettingsSlotAPath, FirmwareDefaults.SettingsSlotBPath), Caps,
                PulseFlowMeter.Open(BoardConfig.FlowMeterPin, log), GpioValve.OpenOptional(gpio, BoardConfig.MasterRelayPin, BoardConfig.MasterRelayActiveLow),
                new WaterStore(flash, FirmwareDefaults.WaterSlotAPath, FirmwareDefaults.WaterSlotBPath));
        }

        /// <summary>Every string reachable from <paramref name="root"/> through the core's objects and arrays (adapters not followed).</summary>
        private static IEnumerable<string> HeldTexts(object root)
        {
            var seen = NanoHeap.Counted();
            var pending = new Stack<object>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                object o = pending.Pop();
                if (o == null || !seen.Add(o))
                {
                    continue;
                }

                if (o is string text)
                {
                    yield return text;
                    continue;
                }

                if (o is Array array)
                {
                    if (!array.GetType().GetElementType().IsPrimitive)
                    {
                        foreach (object item in array)
                        {
                            pending.Push(item);
                        }
                    }

                    continue;
                }

                if (o.GetType().Namespace?.StartsWith("Irrigation.Core", StringComparison.Ordinal) != true)
                {
                    continue;
                }

                for (Type t = o.GetType(); t != null && t != typeof(object); t = t.BaseType)
                {
                    foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (!f.FieldType.IsValueType)
                        {
                            pending.Push(f.GetValue(o));
                        }
                    }
                }
            }
        }

        /// <summary>A link that is open at once, hands the controller queued frames and records what it sends.</summary>
        private sealed class ScriptedLink : ILinkTransport
        {
            public readonly Queue<string> Incoming = new Queue<string>();
            public readonly List<string> Sent = new List<string>();

            public LinkState State { get; private set; }

            public void Connect(string url) => State = LinkState.Open;

            public bool Send(string frame)
            {
                Sent.Add(frame);
                return true;
            }

            public string Receive() => Incoming.Count > 0 ? Incoming.Dequeue() : null;

            public void Disconnect() => State = LinkState.Closed;
        }

        private static object Field(object owner, string name) =>
            owner.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic).GetValue(owner);

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
                + ",\"buffer_capacity\":" + Caps.MaxBufferCapacity + ",\"send_window\":" + Caps.MaxSendWindow + ",\"backoff_cap\":600,\"stable_after\":3600"
                + ",\"pulses_per_litre\":450,\"master_lead\":5,\"master_lag\":60,\"flow_settle\":30,\"leak_delay\":120";
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

            Assert.Matches(new Regex(@"\| \*\*applying a maximal settings frame\*\*[^|]*\| \*\*" + Bytes(ApplyingBytes(rows)) + @"\*\* \|"), doc);
            Assert.Contains("**Worst case, no PSRAM: " + Bytes(Total(rows)) + "**", doc);
        }

        [Fact]
        public void HeldState_AfterAMaximalSettingsFrameAndALedgerSave_KeepsNoFrameOrSlotText()
        {
            // What the table counts as a step must be gone after it: a reader that kept the last text it parsed would
            // hold a 4 KB frame or a slot for good, outside every row.
            var link = new ScriptedLink();
            Controller controller = BoardController(MaximalFile(), link);
            controller.Start(0);
            for (long now = 0; now <= 31000; now += 200)
            {
                if (now == 400)
                {
                    link.Incoming.Enqueue("{\"event\":\"welcome\",\"data\":{\"time\":1764547200,\"resume\":0}}");
                }

                if (now == 1000)
                {
                    link.Incoming.Enqueue(SettingsFrame(MaximalSettings()));
                }

                controller.Tick(now);
            }

            Assert.Equal(int.MaxValue, controller.SettingsVersion);
            Assert.NotNull(ModelFlash.Text(FirmwareDefaults.WaterSlotAPath) ?? ModelFlash.Text(FirmwareDefaults.WaterSlotBPath));
            string longest = HeldTexts(controller).OrderByDescending(t => t.Length).First();
            Assert.True(longest.Length <= ControllerConfig.MaxServerUrlChars, "held for good: " + longest.Length + " characters: " + longest.Substring(0, Math.Min(120, longest.Length)));
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
