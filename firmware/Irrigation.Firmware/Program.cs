using System;
using System.Device.Gpio;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Core.Settings;
using Irrigation.Core.Water;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Hardware;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Network;
using Irrigation.Firmware.Settings;
using nanoFramework.Runtime.Native;

namespace Irrigation.Firmware
{
    /// <summary>The device application: wires the board's adapters to the shared core and runs the tick loop.</summary>
    public static class Program
    {
        /// <summary>Boots the controller and never returns: the tick loop runs for ever, a failed boot halts safely.</summary>
        public static void Main()
        {
            FirmwareLog log = null;
            try
            {
                var serial = new SerialLogSink(BoardConfig.LogTxPin, BoardConfig.LogRxPin, BoardConfig.LogBaudRate);
                log = new FirmwareLog(serial);
                Run(serial, log);
            }
            catch (Exception ex)
            {
                // Only the boot can get here (the tick loop catches everything): a pin, the UART, the config.
                SafeHalt.Forever(log, "boot", "failed: " + ex.Message);
            }

            SafeHalt.Forever(log, "boot", "the tick loop ended");
        }

        /// <summary>Order matters: log first, pins checked, relays off, everything else after.</summary>
        private static void Run(SerialLogSink serial, FirmwareLog log)
        {
            log.Info("boot", "irrigation firmware " + FirmwareDefaults.FirmwareVersion + " target=" + SystemInfo.TargetName);
            bool hasPsram = BoardLimits.HasPsram();
            CheckPins(hasPsram, log);

            var gpio = new GpioController();
            IValve[] relays = GpioValve.OpenAll(gpio, BoardConfig.RelayPins, BoardConfig.RelayActiveLow);
            IValve masterRelay = GpioValve.OpenOptional(gpio, BoardConfig.MasterRelayPin, BoardConfig.MasterRelayActiveLow);
            log.Info("boot", "relays off (" + relays.Length + ", active-" + (BoardConfig.RelayActiveLow ? "low" : "high") + (masterRelay != null ? ", master on GPIO" + BoardConfig.MasterRelayPin : "") + ")");
            var heartbeat = new Heartbeat(gpio, BoardConfig.HeartbeatPin);
            var safeReboot = new SafeReboot(GpioValve.Every(relays, masterRelay), serial);

            // On the ESP32, System.Random is the hardware RNG (esp_random), so each boot gets a fresh id; the
            // server keys stored events by (device, boot, seq), so a repeated id would hide new events.
            var random = new Random();
            long bootId = ((long)random.Next() << 31) ^ random.Next() ^ 1;
            var flash = new FlashFiles();
            MemoryCaps caps = BoardLimits.For(hasPsram);
            ControllerConfig config = LoadConfig(flash, bootId, relays.Length, caps, log);

            var wifi = new WifiConnector(FirmwareDefaults.WifiAttemptTimeoutMs, FirmwareDefaults.WifiRetryDelayMs, log);
            wifi.Start(config.WifiSsid, config.WifiPassword);
            var link = OpenLink(config.ServerUrl, wifi, log);

            ISoilProbe[] soil = AdcSoilProbe.OpenAll(BoardConfig.SoilAdcChannels);
            var climate = new Dht22ClimateSensor(BoardConfig.DhtEchoPin, BoardConfig.DhtTriggerPin, gpio, log);
            IPulseCounter flowMeter = PulseFlowMeter.Open(BoardConfig.FlowMeterPin, log);

            // Every relay and soil input of the board (all driven off or idle above): the file's zones use the first
            // ones, and settings from the server may use up to all of them. The last settings applied run from flash,
            // and so does the water ledger (volumes not yet delivered, baselines, the leak lock).
            var settings = new SettingsStore(flash, FirmwareDefaults.SettingsSlotAPath, FirmwareDefaults.SettingsSlotBPath);
            var water = new WaterStore(flash, FirmwareDefaults.WaterSlotAPath, FirmwareDefaults.WaterSlotBPath);
            var controller = new Controller(config, climate, soil, relays, link, serial, new DeviceInfo(), random.Next(), settings, caps, flowMeter, masterRelay, water);
            var watchdog = new SoftwareWatchdog(
                FirmwareDefaults.WatchdogStallMs,
                FirmwareDefaults.WatchdogCheckPeriodMs,
                FirmwareDefaults.WatchdogMaxConsecutiveReboots,
                FirmwareDefaults.WatchdogHealthyResetMs,
                FirmwareDefaults.WatchdogStatePath,
                safeReboot,
                log);
            watchdog.Watch(link);

            controller.Start(Uptime.Milliseconds);
            watchdog.Arm(Uptime.Milliseconds);
            log.Info("boot", "running");
            new TickLoop(controller, watchdog, heartbeat, log, FirmwareDefaults.TickPeriodMs).RunForever();
        }

        /// <summary>Halts, before any pin is opened, when BoardConfig gives a pin a job it cannot do on this board.</summary>
        private static void CheckPins(bool hasPsram, FirmwareLog log)
        {
            string[] errors = BoardPins.Check(hasPsram);
            if (errors.Length == 0)
            {
                return;
            }

            for (int i = 0; i < errors.Length; i++)
            {
                log.Error("board", errors[i]);
            }

            SafeHalt.Forever(log, "board", "fix the pins above in firmware/Irrigation.Firmware/BoardConfig.cs, rebuild and deploy");
        }

        /// <summary>The validated configuration, capped for this board; halts (relays off) when there is none.</summary>
        private static ControllerConfig LoadConfig(FlashFiles flash, long bootId, int relayCount, MemoryCaps caps, FirmwareLog log)
        {
            string configText = ConfigFile.ReadText(flash, FirmwareDefaults.ConfigPath, log);
            if (configText == null)
            {
                SafeHalt.Forever(log, "config", "no configuration at " + FirmwareDefaults.ConfigPath);
            }

            ConfigReadResult read = ControllerConfigReader.Read(configText, FirmwareDefaults.FirmwareVersion, bootId);
            ConfigFile.ReportWarnings(read.Warnings, log);
            if (ConfigFile.ReportErrors(read.Errors, log) > 0 || !read.IsValid)
            {
                SafeHalt.Forever(log, "config", "fix the fields above in " + FirmwareDefaults.ConfigPath + " (nanoff-flash.ps1 re-provisions it) and reset the board");
            }

            ControllerConfig config = read.Config;
            if (config.Zones.Length > relayCount || config.SoilProbes.Length > BoardConfig.SoilAdcChannels.Length)
            {
                SafeHalt.Forever(log, "config", "the board has " + relayCount + " relays and " + BoardConfig.SoilAdcChannels.Length + " soil inputs; the config asks for more");
            }

            string tooMany = BoardLimits.ScheduleError(config, caps);
            if (tooMany != null)
            {
                SafeHalt.Forever(log, "config", tooMany);
            }

            BoardLimits.Apply(config, caps, log);
            return config;
        }

        private static WebSocketTransport OpenLink(string serverUrl, WifiConnector wifi, FirmwareLog log)
        {
            string host = ServerAddress.HostOf(serverUrl);
            if (serverUrl.IndexOf("wss://") == 0)
            {
                log.Info("link", "wss: the server's certificate must chain to the CA in this board's certificate store (nanoff-flash.ps1 -CaCertificate) and name " + host);
            }

            if (!ServerAddress.IsIpv4Literal(host))
            {
                log.Warn("link", "server host " + host + " is a name: each connect attempt resolves it, and a DNS server that does not answer freezes the board meanwhile; an IP address avoids that (docs/hardware.md)");
            }

            return new WebSocketTransport(
                FirmwareDefaults.LinkKeepAliveMs,
                FirmwareDefaults.LinkServerTimeoutMs,
                ServerMessageParser.MaxServerFrameBytes,
                FirmwareDefaults.LinkReceiveQueueBytes,
                FirmwareDefaults.LinkReceiveQueueFrames,
                FirmwareDefaults.LinkConnectAbandonMs,
                FirmwareDefaults.LinkConnectStuckRebootMs,
                wifi,
                log);
        }
    }
}
