using System;
using System.Device.Gpio;
using System.Linq;
using System.Net.WebSockets;
using System.Net.WebSockets.WebSocketFrame;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Water;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Hardware;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Hardware
{
    /// <summary>
    /// A board built without a flow meter or master relay (BoardConfig.FlowMeterPin and MasterRelayPin = NoPin),
    /// composed as Program composes it: the adapters give the controller nulls, it boots and refuses water settings.
    /// </summary>
    public class BoardWithoutMeterTests : ModelTest
    {
        [Fact]
        public void SettingsWithPulsesPerLitre_BoardWithoutMeter_BootsAndRejectsThemWithWhatToSet()
        {
            var serial = new SerialLogSink(BoardConfig.LogTxPin, BoardConfig.LogRxPin, BoardConfig.LogBaudRate);
            var log = new FirmwareLog(serial);
            IPulseCounter meter = PulseFlowMeter.Open(BoardConfig.NoPin, log);
            IValve master = GpioValve.OpenOptional(new GpioController(), BoardConfig.NoPin, BoardConfig.MasterRelayActiveLow);
            Assert.Null(meter);
            Assert.Null(master);
            var transport = Rig.NewTransport(log);
            Controller controller = Rig.NewController(Rig.OpenRelays(), serial, link: transport, flowMeter: meter, masterRelay: master);
            controller.Start(Uptime.Milliseconds);

            ClientWebSocket server = null;
            Assert.True(Eventually(() => Tick(controller) && (server = ModelNetwork.Sockets.LastOrDefault(s => s.State == WebSocketState.Open && s.SentFrames.Any(f => f.Text.Contains("\"event\":\"hello\"")))) != null));
            server.ServerSends("{\"event\":\"welcome\",\"data\":{\"time\":1764547200,\"resume\":0}}");
            server.ServerSends("{\"event\":\"settings\",\"data\":{\"version\":2,\"utc_offset\":0,\"settings\":{\"pulses_per_litre\":450}}}");

            Assert.True(Eventually(() => Tick(controller) && server.SentFrames.Any(f => f.Text.Contains("\"event\":\"settings_rejected\""))), string.Join("\n", server.SentFrames.Select(f => f.Text)));
            string rejected = server.SentFrames.Single(f => f.Text.Contains("\"event\":\"settings_rejected\"")).Text;
            Assert.Contains("pulses_per_litre: this controller has no flow meter input (set 0)", rejected);
            Assert.False(controller.IsMetering);
            Assert.Equal(0, controller.SettingsVersion);
        }

        [Fact]
        public void FileWithPulsesPerLitre_BoardWithoutMeter_ControllerRefusesToBuildWithWhatToSet()
        {
            var serial = new SerialLogSink(BoardConfig.LogTxPin, BoardConfig.LogRxPin, BoardConfig.LogBaudRate);
            ControllerConfig config = Rig.NewConfig();
            config.PulsesPerLitre = 450;

            // Program.Main turns this into a halt with the relays off: "boot: halted: failed: the board cannot run ...".
            var refused = Assert.Throws<ArgumentException>(() => Rig.NewController(Rig.OpenRelays(), serial, config: config, flowMeter: PulseFlowMeter.Open(BoardConfig.NoPin, new FirmwareLog(serial))));
            Assert.Equal("the board cannot run this config: pulses_per_litre: this controller has no flow meter input (set 0)", refused.Message);
        }

        private static bool Tick(Controller controller)
        {
            controller.Tick(Uptime.Milliseconds);
            return true;
        }
    }
}
