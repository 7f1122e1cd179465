using System.Linq;
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

        /// <summary>Acknowledges everything the device sent so far (the send window must not fill up), then looks for a frame.</summary>
        private static bool Sent(ClientWebSocket socket, params string[] parts)
        {
            string[] frames = Frames(socket);
            long last = frames.SelectMany(f => Regex.Matches(f, "\"seq\":(\\d+)").Select(m => long.Parse(m.Groups[1].Value))).DefaultIfEmpty(0).Max();
            if (last > 0)
            {
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
            Assert.Contains("06:26", config);
            ModelFlash.Deploy(FirmwareDefaults.ConfigPath, config);

            new Thread(Program.Main) { IsBackground = true, Name = "firmware" }.Start();

            Assert.True(Eventually(() => ModelSerial.Contains("halted: the file has " + (FirmwareDefaults.SchedulesWithoutPsram + 1) + " schedules")), string.Join("\n", ModelSerial.Lines));
            Assert.All(BoardConfig.RelayPins, pin => Assert.True(ModelGpio.Get(pin).IsHigh, "relay GPIO" + pin + " on"));   // active-low: off
            Assert.Empty(ModelNetwork.Sockets);
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
