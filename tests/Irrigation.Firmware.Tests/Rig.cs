using System.IO;
using System.Device.Gpio;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Core.Water;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Hardware;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Network;
using Irrigation.Tests.Support;

namespace Irrigation.Firmware.Tests
{
    /// <summary>The firmware's parts built as Program builds them, with timings short enough for a test.</summary>
    public static class Rig
    {
        public const string IpUrl = "ws://192.168.1.10:5000/";
        public const string NameUrl = "ws://irrigation.example.org:5000/";
        public const string SecureUrl = "wss://192.168.1.10/";

        public static FirmwareLog NewLog()
        {
            return new FirmwareLog(new SerialLogSink(23, 13, 115200));
        }

        public static WebSocketTransport NewTransport(FirmwareLog log, int abandonAfterMs = 300, int stuckAfterMs = 60000, int receiveQueueBytes = FirmwareDefaults.LinkReceiveQueueBytes)
        {
            return new WebSocketTransport(1000, 500, ServerMessageParser.MaxServerFrameBytes, receiveQueueBytes, FirmwareDefaults.LinkReceiveQueueFrames, abandonAfterMs, stuckAfterMs, null, log);
        }

        /// <summary>The repository's config template as nanoff-flash.ps1 fills it in (the text of I:\irrigation.json).</summary>
        public static string ConfigText(string serverUrl = IpUrl)
        {
            string template = File.ReadAllText(RepoPaths.Combine("firmware", "Irrigation.Firmware", "irrigation.template.json"));
            return template
                .Replace("\"device\": \"\"", "\"device\": \"farm-01\"")
                .Replace("\"token\": \"\"", "\"token\": \"tok-123456\"")
                .Replace("\"server\": \"\"", "\"server\": \"" + serverUrl + "\"")
                .Replace("\"ssid\": \"\", \"password\": \"\"", "\"ssid\": \"Farm\", \"password\": \"password123\"");
        }

        /// <summary>The repository's config template, provisioned as nanoff-flash.ps1 would.</summary>
        public static ControllerConfig NewConfig()
        {
            ConfigReadResult read = ControllerConfigReader.Read(ConfigText(), FirmwareDefaults.FirmwareVersion, 1);
            Assert.True(read.IsValid, string.Join("; ", read.Errors));
            return read.Config;
        }

        /// <summary>The board's relays, opened by the firmware's own adapter on the model GPIO.</summary>
        public static IValve[] OpenRelays()
        {
            return GpioValve.OpenAll(new GpioController(), BoardConfig.RelayPins, BoardConfig.RelayActiveLow);
        }

        /// <summary>
        /// A controller on the model board; <paramref name="climate"/> and <paramref name="link"/> may replace the usual
        /// adapters, and the water hardware (a meter, a master relay, a ledger in flash) may be given.
        /// </summary>
        public static Controller NewController(IValve[] relays, SerialLogSink serial, IClimateSensor climate = null, ILinkTransport link = null,
            ControllerConfig config = null, IPulseCounter flowMeter = null, IValve masterRelay = null, WaterStore water = null)
        {
            config ??= NewConfig();
            var valves = new IValve[config.Zones.Length];
            System.Array.Copy(relays, valves, valves.Length);
            var soil = AdcSoilProbe.OpenAll(new[] { 4, 5 });
            climate ??= new Dht22ClimateSensor(BoardConfig.DhtEchoPin, BoardConfig.DhtTriggerPin, new GpioController(), new FirmwareLog(serial));
            link ??= new IdleLink();
            return new Controller(config, climate, soil, valves, link, serial, new DeviceInfo(), 7, null, null, flowMeter, masterRelay, water);
        }

        /// <summary>A link that never connects (the tests of the loop do not need one).</summary>
        private sealed class IdleLink : ILinkTransport
        {
            public LinkState State => LinkState.Closed;

            public void Connect(string url)
            {
            }

            public bool Send(string frame) => false;

            public string Receive() => null;

            public void Disconnect()
            {
            }
        }
    }
}
