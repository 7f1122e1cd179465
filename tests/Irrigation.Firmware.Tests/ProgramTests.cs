using System.Linq;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using System.Net.WebSockets.WebSocketFrame;
using System.Text.RegularExpressions;
using System.Threading;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests
{
    /// <summary>
    /// The whole firmware (Program.Main, as the board runs it) on the model board: the configuration deployed on
    /// I:, Wi-Fi, a model server that answers the handshake, and settings frames from that server.
    /// </summary>
    public class ProgramTests : ModelTest
    {
        private const string SlotA = @"I:\settings-a.json";
        private const int BootBoundMs = 30000;

        private static string FourZones(int seasonalPercent) =>
            "{\"zones\":[{\"name\":\"beds\",\"soil_probe\":0},{\"name\":\"lawn\",\"soil_probe\":1},{\"name\":\"hedge\",\"soil_probe\":2},{\"name\":\"orchard\",\"soil_probe\":3}],"
            + "\"soil\":[{\"dry_raw\":3400,\"wet_raw\":1400},{\"dry_raw\":3400,\"wet_raw\":1400},{\"dry_raw\":3300,\"wet_raw\":1300},{\"dry_raw\":3300,\"wet_raw\":1300}],"
            + "\"schedules\":[{\"zone\":\"orchard\",\"at\":\"05:30\",\"duration\":600}],\"seasonal_percent\":" + seasonalPercent + "}";

        private static string SettingsFrame(int version, string settings) =>
            "{\"event\":\"settings\",\"data\":{\"version\":" + version + ",\"utc_offset\":3600,\"settings\":" + settings + "}}";

        /// <summary>Deploys I:\irrigation.json (the template with two zones, as nanoff-flash.ps1 writes it) once per test.</summary>
        private static void Provision()
        {
            ModelFlash.Deploy(FirmwareDefaults.ConfigPath, Rig.ConfigText());
        }

        /// <summary>Powers the firmware up on the current model board; returns the socket it greeted the server on.</summary>
        private ClientWebSocket Boot()
        {
            ModelWifi.SucceedFromAttempt = 1;
            new Thread(Program.Main) { IsBackground = true, Name = "firmware" }.Start();
            ClientWebSocket socket = null;
            Assert.True(Eventually(() => (socket = Greeted()) != null, BootBoundMs), "no hello; log:\n" + string.Join("\n", ModelSerial.Lines));
            socket.ServerSends("{\"event\":\"welcome\",\"data\":{\"time\":1764547200,\"resume\":0}}");
            return socket;
        }

        private static ClientWebSocket Greeted() =>
            ModelNetwork.Sockets.LastOrDefault(s => s.State == WebSocketState.Open && Frames(s).Any(f => f.Contains("\"event\":\"hello\"")));

        private static string[] Frames(ClientWebSocket socket) => socket.SentFrames.Where(f => !f.IsClose).Select(f => f.Text).ToArray();

        /// <summary>The highest seq acknowledged on each socket (an ack only when there is a new one to acknowledge).</summary>
        private static readonly ConditionalWeakTable<ClientWebSocket, StrongBox<long>> s_acked = new();

        /// <summary>
        /// Acknowledges everything the device sent so far (the send window must not fill up), then looks for a frame.
        /// Only new seqs are acknowledged: an ack per poll would fill the board's receive queue (8 frames) and push
        /// out a command sent meanwhile.
        /// </summary>
        private static bool Sent(ClientWebSocket socket, params string[] parts)
        {
            string[] frames = Frames(socket);
            long last = frames.SelectMany(f => Regex.Matches(f, "\"seq\":(\\d+)").Select(m => long.Parse(m.Groups[1].Value))).DefaultIfEmpty(0).Max();
            StrongBox<long> acked = s_acked.GetOrCreateValue(socket);
            if (last > acked.Value)
            {
                acked.Value = last;
                socket.ServerSends("{\"event\":\"ack\",\"data\":{\"seq\":" + last + "}}");
            }

            return frames.Any(f => parts.All(f.Contains));
        }

        /// <summary>Waits for the device's settings_rejected of <paramref name="version"/> and returns its frame.</summary>
        private static string Rejection(ClientWebSocket server, int version)
        {
            Assert.True(Eventually(() => Sent(server, "\"event\":\"settings_rejected\"", "\"version\":" + version), BootBoundMs), string.Join("\n", Frames(server)));
            return Frames(server).Single(f => f.Contains("\"event\":\"settings_rejected\"") && f.Contains("\"version\":" + version));
        }

        [Fact]
        public void SettingsFrameForEveryRelayAndSoilInput_Applied_StoredAndRunAgainAfterAReboot()
        {
            Provision();
            ClientWebSocket server = Boot();

            server.ServerSends(SettingsFrame(8, FourZones(80)));

            Assert.True(Eventually(() => Sent(server, "\"event\":\"settings_applied\"", "\"version\":8"), BootBoundMs), string.Join("\n", Frames(server)));
            Assert.Contains("\"version\":8", ModelFlash.Text(SlotA));

            ModelBoard.Reboot();
            server = Boot();

            Assert.Contains(Frames(server), f => f.Contains("\"event\":\"hello\"") && f.Contains("\"settings_version\":8") && f.Contains("\"orchard\""));
            Assert.True(ModelSerial.Contains("settings: running stored settings version=8"), string.Join("\n", ModelSerial.Lines));
        }

        [Fact]
        public void SettingsFrameNamingMoreZonesThanTheBoardHasRelays_RejectedAndTheFileKeepsRunning()
        {
            Provision();
            ClientWebSocket server = Boot();
            string fiveZones = "{\"zones\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},{\"name\":\"d\"},{\"name\":\"e\"}],\"schedules\":[]}";

            server.ServerSends(SettingsFrame(3, fiveZones));

            Assert.Contains("zones: this controller has " + BoardConfig.RelayPins.Length + " valves", Rejection(server, 3));
            Assert.Null(ModelFlash.Text(SlotA));
        }

        [Theory]
        [InlineData(0)]      // the slot truncated, nothing of the new settings written
        [InlineData(120)]    // cut in the middle of the settings object
        public void SettingsWriteTornByAPowerCut_Reboot_RunsTheSettingsAppliedBefore(int bytesWritten)
        {
            Provision();
            ClientWebSocket server = Boot();
            server.ServerSends(SettingsFrame(8, FourZones(80)));
            Assert.True(Eventually(() => Sent(server, "\"event\":\"settings_applied\"", "\"version\":8"), BootBoundMs));

            ModelFlash.PowerCutAt = bytesWritten;
            server.ServerSends(SettingsFrame(9, FourZones(120)));
            Assert.True(Eventually(() => ModelFlash.PowerCutAt == ModelFlash.NoCut, BootBoundMs), "version 9 was never written");
            ModelBoard.Reboot();
            server = Boot();

            Assert.Contains(Frames(server), f => f.Contains("\"event\":\"hello\"") && f.Contains("\"settings_version\":8"));
            Assert.True(ModelSerial.Contains("settings: running stored settings version=8"), string.Join("\n", ModelSerial.Lines));
            Assert.True(ModelSerial.Contains("not intact"), "the torn slot was not reported");
        }

        [Fact]
        public void SettingsAskingForMoreMemoryThanABoardWithoutPsram_RejectedWithWhatItAllows()
        {
            Provision();
            ClientWebSocket server = Boot();
            string schedules = string.Join(",", Enumerable.Range(0, FirmwareDefaults.SchedulesWithoutPsram + 1).Select(i => "{\"zone\":\"zone1\",\"at\":\"0" + (i % 10) + ":00\",\"duration\":60}"));

            server.ServerSends(SettingsFrame(4, "{\"buffer_capacity\":2048,\"send_window\":64,\"schedules\":[" + schedules + "]}"));

            string rejected = Rejection(server, 4);
            Assert.Contains("buffer_capacity: this controller's memory holds at most " + FirmwareDefaults.BufferCapacityWithoutPsram + " events", rejected);
            Assert.Contains("send_window: this controller's memory allows at most " + FirmwareDefaults.SendWindowWithoutPsram, rejected);
            Assert.Contains("schedules: this controller's memory runs at most " + FirmwareDefaults.SchedulesWithoutPsram, rejected);
            Assert.Null(ModelFlash.Text(SlotA));
        }

        [Fact]
        public void StoredSettingsAskingForMoreMemoryThanTheBoardHas_Boot_RunsTheFile()
        {
            // Stored on a board with PSRAM, say, whose flash now boots a board without.
            Provision();
            var store = new Irrigation.Core.Settings.SettingsStore(new Irrigation.Firmware.Settings.FlashFiles(), FirmwareDefaults.SettingsSlotAPath, FirmwareDefaults.SettingsSlotBPath);
            Assert.Null(store.Save(6, "{\"buffer_capacity\":2048}"));

            ClientWebSocket server = Boot();

            Assert.Contains(Frames(server), f => f.Contains("\"event\":\"hello\"") && f.Contains("\"settings_version\":0"));
            Assert.True(ModelSerial.Contains("stored version 6 cannot run, running the board's file: buffer_capacity"), string.Join("\n", ModelSerial.Lines));
        }

        [Fact]
        public void SettingsWithManyErrors_Rejected_KeepsAtMostFiveMessagesOfBoundedLength()
        {
            Provision();
            ClientWebSocket server = Boot();
            string wrong = "{\"dht_interval\":1,\"soil_interval\":0,\"soil_samples\":0,\"status_interval\":1,\"keepalive\":1,\"watchdog\":1,\"backoff_cap\":1,\"stable_after\":1,\"seasonal_percent\":999}";

            server.ServerSends(SettingsFrame(5, wrong));

            using var rejected = System.Text.Json.JsonDocument.Parse(Rejection(server, 5));
            string[] errors = rejected.RootElement.GetProperty("data").GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToArray();
            Assert.Equal(Irrigation.Core.Controller.MaxRejectionMessages, errors.Length);
            Assert.All(errors[..^1], e => Assert.Matches("^[a-z_]+: must be ", e));
            Assert.Matches("^\\.\\.\\. and [0-9]+ more messages$", errors[^1]);
            Assert.All(errors, e => Assert.True(e.Length <= Irrigation.Core.Controller.MaxRejectionMessageChars, e));
        }

        [Fact]
        public void FileWithMoreSchedulesThanABoardWithoutPsramRuns_Boot_StopsWithWhatToFixAndRelaysOff()
        {
            string schedules = string.Join(",", Enumerable.Range(0, FirmwareDefaults.SchedulesWithoutPsram + 1).Select(i => "{ \"zone\": \"zone1\", \"at\": \"06:" + (10 + i) + "\", \"duration\": 60 }"));
            string config = Rig.ConfigText().Replace("{ \"zone\": \"zone1\", \"at\": \"06:00\", \"duration\": 600 }", schedules);
            Assert.Contains("06:" + (10 + FirmwareDefaults.SchedulesWithoutPsram), config);
            ModelFlash.Deploy(FirmwareDefaults.ConfigPath, config);

            new Thread(Program.Main) { IsBackground = true, Name = "firmware" }.Start();

            Assert.True(Eventually(() => ModelSerial.Contains("halted: the file has " + (FirmwareDefaults.SchedulesWithoutPsram + 1) + " schedules")), string.Join("\n", ModelSerial.Lines));
            Assert.All(BoardConfig.RelayPins, pin => Assert.True(ModelGpio.Get(pin).IsHigh, "relay GPIO" + pin + " on"));   // active-low: off
            Assert.Empty(ModelNetwork.Sockets);
        }

        /// <summary>Water settings over the file (keys absent keep the file's): a meter of 10 pulses a litre.</summary>
        private static string WaterSettingsFrame(int version, string moreKeys = "") =>
            SettingsFrame(version, "{\"pulses_per_litre\":" + PulsesPerLitre + moreKeys + "}");

        private const int PulsesPerLitre = 10;

        /// <summary>The field behind the board: the meter on its GPIO behind the master valve, zone 1 giving <paramref name="zonePulsesPerSecond"/>.</summary>
        private static void LayTheLine(double zonePulsesPerSecond)
        {
            ModelWaterLine.Lay(BoardConfig.FlowMeterPin, BoardConfig.MasterRelayPin, BoardConfig.RelayActiveLow);
            ModelWaterLine.Zone(BoardConfig.RelayPins[0], zonePulsesPerSecond);
        }

        private static System.Text.Json.JsonElement Data(string frame) => System.Text.Json.JsonDocument.Parse(frame).RootElement.GetProperty("data");

        private static string Stop(ClientWebSocket server, string reason) =>
            Frames(server).FirstOrDefault(f => f.Contains("\"event\":\"irrigation_stopped\"") && f.Contains("\"reason\":\"" + reason + "\""));

        private static void ApplyWaterSettings(ClientWebSocket server, string moreKeys = "")
        {
            server.ServerSends(WaterSettingsFrame(2, moreKeys));
            Assert.True(Eventually(() => Sent(server, "\"event\":\"settings_applied\"", "\"version\":2"), BootBoundMs), string.Join("\n", Frames(server)));
        }

        [Fact]
        public void Boot_MasterRelayAndFlowMeter_MasterDrivenOffWithTheZoneRelaysAndTheMeterCounting()
        {
            Provision();
            Boot();

            ModelGpio.Pin master = ModelGpio.Get(BoardConfig.MasterRelayPin);
            Assert.True(master.IsHigh, "master relay on");   // active-low: off
            Assert.Equal(new[] { false, true }, master.History.Take(2));   // OpenPin drives low, "off" at once
            Assert.Equal(0, master.Changes - 1);   // never switched on since
            Assert.True(ModelSerial.Contains("boot: relays off (4, active-low, master on GPIO" + BoardConfig.MasterRelayPin + ")"), string.Join("\n", ModelSerial.Lines));
            Assert.True(ModelPcnt.On(BoardConfig.FlowMeterPin).Counting);
            Assert.True(ModelGpio.IsReserved(BoardConfig.FlowMeterPin));
        }

        [Fact]
        public void IrrigateLitres_WholeFirmware_StopsWithinOnePulseAndReportsTheVolume()
        {
            Provision();
            LayTheLine(zonePulsesPerSecond: 20);
            ClientWebSocket server = Boot();
            ApplyWaterSettings(server);

            server.ServerSends("{\"event\":\"irrigate\",\"data\":{\"id\":\"c-1\",\"zones\":[\"zone1\"],\"duration\":60,\"litres\":58}}");

            Assert.True(Eventually(() => Sent(server, "\"event\":\"irrigation_stopped\"", "\"reason\":\"completed\""), BootBoundMs), string.Join("\n", Frames(server)) + string.Join("\n", ModelSerial.Lines));
            // 5.8 L at 10 pulses a litre: 58 pulses. At 20 pulses a second the 200 ms ticks see 4 pulses each, so a
            // loop that only slept its period would find 60 (measured: 60 every time without Controller.WakeAtMs). It
            // wakes when the 58th is due instead: the valve closes within one pulse of the volume.
            long given = ModelWaterLine.PulsesThrough(BoardConfig.RelayPins[0]);
            Assert.InRange(given, 58, 59);
            System.Text.Json.JsonElement stopped = Data(Stop(server, "completed"));
            Assert.Equal(given, stopped.GetProperty("litres").GetInt32());   // tenths of a litre: one pulse each here
            Assert.Equal("zone1", stopped.GetProperty("zones")[0].GetString());
            Assert.True(ModelGpio.Get(BoardConfig.RelayPins[0]).IsHigh, "zone relay still on");
            Assert.True(Eventually(() => ModelGpio.Get(BoardConfig.MasterRelayPin).IsHigh), "master relay still on");
            Assert.Contains(Frames(server), f => f.Contains("\"event\":\"flow\"") || f.Contains("\"event\":\"irrigation_started\""));
        }

        [Fact]
        public void LeakWithEveryZoneClosed_WholeFirmware_MasterRelayClosedAndLockedUntilCleared()
        {
            Provision();
            LayTheLine(zonePulsesPerSecond: 10);
            ModelWaterLine.LeakPulsesPerSecond = 3;   // 18 L/min between the master valve and the zones
            ClientWebSocket server = Boot();
            // The master stays open 30 s after the last zone (its lag), which keeps the line under pressure.
            ApplyWaterSettings(server, ",\"master_lag\":30,\"flow_settle\":0,\"leak_delay\":10");

            server.ServerSends("{\"event\":\"irrigate\",\"data\":{\"id\":\"c-1\",\"zones\":[\"zone1\"],\"duration\":2}}");
            Assert.True(Eventually(() => Sent(server, "\"event\":\"irrigation_stopped\"", "\"reason\":\"completed\""), BootBoundMs), string.Join("\n", Frames(server)) + string.Join("\n", ModelSerial.Lines));
            var closed = System.Diagnostics.Stopwatch.StartNew();
            Assert.False(ModelGpio.Get(BoardConfig.MasterRelayPin).IsHigh, "the master did not wait for its lag");

            Assert.True(Eventually(() => Sent(server, "\"event\":\"flow_alert\"", "\"kind\":\"leak\""), BootBoundMs), string.Join("\n", Frames(server)));
            Assert.True(ModelGpio.Get(BoardConfig.MasterRelayPin).IsHigh, "master relay still on after the leak alarm");
            Assert.True(closed.ElapsedMilliseconds < 30000, "the lag closed the master, not the leak alarm");
            long leaked = ModelWaterLine.IdlePulses;
            Assert.True(ModelSerial.Contains("Master valve closed and locked until clear_leak"), string.Join("\n", ModelSerial.Lines));

            // Locked: a command cannot open anything, and no more water passes the master.
            server.ServerSends("{\"event\":\"irrigate\",\"data\":{\"id\":\"c-2\",\"zones\":[\"zone1\"],\"duration\":60}}");
            Assert.True(Eventually(() => Sent(server, "\"event\":\"command_result\"", "\"id\":\"c-2\""), BootBoundMs));
            Assert.Contains(Frames(server), f => f.Contains("\"id\":\"c-2\"") && f.Contains("\"ok\":false") && f.Contains("leak lock"));
            Assert.True(ModelGpio.Get(BoardConfig.RelayPins[0]).IsHigh && ModelGpio.Get(BoardConfig.MasterRelayPin).IsHigh);
            Assert.Equal(leaked, ModelWaterLine.IdlePulses);

            // A person fixed the leak and clears the lock: watering works again.
            ModelWaterLine.LeakPulsesPerSecond = 0;
            server.ServerSends("{\"event\":\"clear_leak\",\"data\":{\"id\":\"c-3\"}}");
            Assert.True(Eventually(() => Sent(server, "\"event\":\"command_result\"", "\"id\":\"c-3\"", "\"ok\":true"), BootBoundMs));
            server.ServerSends("{\"event\":\"irrigate\",\"data\":{\"id\":\"c-4\",\"zones\":[\"zone1\"],\"duration\":60}}");
            Assert.True(Eventually(() => !ModelGpio.Get(BoardConfig.RelayPins[0]).IsHigh && !ModelGpio.Get(BoardConfig.MasterRelayPin).IsHigh, BootBoundMs), "zone 1 did not open after clear_leak");
        }

        [Fact]
        public void MeterThatNeverPulses_WholeFirmware_OneSensorDisconnectedFlowAndTheRunGoesOnByTime()
        {
            Provision();
            ModelWaterLine.Lay(BoardConfig.FlowMeterPin, BoardConfig.MasterRelayPin, BoardConfig.RelayActiveLow);   // unplugged: no zone gives pulses
            ClientWebSocket server = Boot();
            ApplyWaterSettings(server, ",\"flow_settle\":0,\"flow_none_delay\":1");

            server.ServerSends("{\"event\":\"irrigate\",\"data\":{\"id\":\"c-1\",\"zones\":[\"zone1\"],\"duration\":4}}");

            Assert.True(Eventually(() => Sent(server, "\"event\":\"sensor_disconnected\"", "\"sensor\":\"flow\""), BootBoundMs), string.Join("\n", Frames(server)));
            Assert.True(Eventually(() => Sent(server, "\"event\":\"irrigation_stopped\"", "\"reason\":\"completed\""), BootBoundMs), "the run did not go on by time");
            Assert.DoesNotContain(Frames(server), f => f.Contains("\"event\":\"flow_alert\""));
            Assert.False(Data(Stop(server, "completed")).TryGetProperty("litres", out _));
        }

        [Fact]
        public void WssServer_TheCaOnTheBoard_ConnectsAndGreets()
        {
            ModelFlash.Deploy(FirmwareDefaults.ConfigPath, Rig.ConfigText(Rig.SecureUrl));
            ModelNetwork.DeviceCaStore = ModelNetwork.ServerCa;   // what nanoff-flash.ps1 -CaCertificate deploys

            ClientWebSocket server = Boot();

            Assert.Equal(System.Net.Security.SslVerification.CertificateRequired, server.Options.SslVerification);
            Assert.True(ModelSerial.Contains("link: wss: the server's certificate must chain to the CA in this board's certificate store"));
        }

        [Fact]
        public void WssServer_CertificateNotChainingToTheBoardsCa_NeverGreetsAndSaysWhy()
        {
            ModelFlash.Deploy(FirmwareDefaults.ConfigPath, Rig.ConfigText(Rig.SecureUrl));
            ModelNetwork.DeviceCaStore = "CN=Some Other CA";
            ModelWifi.SucceedFromAttempt = 1;

            new Thread(Program.Main) { IsBackground = true, Name = "firmware" }.Start();

            Assert.True(Eventually(() => ModelSerial.Contains("TLS refused the server's certificate"), BootBoundMs), string.Join("\n", ModelSerial.Lines));
            Assert.Null(Greeted());
            Assert.DoesNotContain(ModelNetwork.Sockets, s => s.State == WebSocketState.Open);
        }
    }
}
