using System;
using System.Device.Gpio;
using System.Threading;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
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
        /// <summary>Boots the controller. Order matters: log first, relays to "off" second, everything else after.</summary>
        public static void Main()
        {
            var serial = new SerialLogSink(BoardConfig.LogTxPin, BoardConfig.LogRxPin, BoardConfig.LogBaudRate);
            var log = new FirmwareLog(serial);
            log.Info("boot", "irrigation firmware " + FirmwareDefaults.FirmwareVersion + " target=" + SystemInfo.TargetName);

            var gpio = new GpioController();
            IValve[] valves = GpioValve.OpenAll(gpio, BoardConfig.RelayPins, BoardConfig.RelayActiveLow);
            log.Info("boot", "relays off (" + valves.Length + ", active-" + (BoardConfig.RelayActiveLow ? "low" : "high") + ")");

            string configText = ConfigFile.ReadText(FirmwareDefaults.ConfigPath, log);
            if (configText == null)
            {
                SafeHalt.Forever(log, "config", "no configuration at " + FirmwareDefaults.ConfigPath);
            }

            // On the ESP32, System.Random is the hardware RNG (esp_random), so each boot gets a fresh id; the
            // server keys stored events by (device, boot, seq), so a repeated id would hide new events.
            var random = new Random();
            long bootId = ((long)random.Next() << 31) ^ random.Next() ^ 1;
            ConfigReadResult read = ControllerConfigReader.Read(configText, FirmwareDefaults.FirmwareVersion, bootId);
            ConfigFile.ReportWarnings(read.Warnings, log);
            if (ConfigFile.ReportErrors(read.Errors, log) > 0 || !read.IsValid)
            {
                SafeHalt.Forever(log, "config", "fix the fields above in " + FirmwareDefaults.ConfigPath + " (nanoff-flash.ps1 re-provisions it) and reset the board");
            }

            ControllerConfig config = read.Config;
            if (config.Zones.Length > valves.Length || config.SoilProbes.Length > BoardConfig.SoilAdcChannels.Length)
            {
                SafeHalt.Forever(log, "config", "the board has " + valves.Length + " relays and " + BoardConfig.SoilAdcChannels.Length + " soil inputs; the config asks for more");
            }

            var wifi = new WifiConnector(FirmwareDefaults.WifiAttemptTimeoutMs, FirmwareDefaults.WifiRetryDelayMs, log);
            wifi.Start(config.WifiSsid, config.WifiPassword);

            var link = new WebSocketTransport(
                FirmwareDefaults.LinkKeepAliveMs,
                FirmwareDefaults.LinkServerTimeoutMs,
                ServerMessageParser.MaxServerFrameBytes,
                FirmwareDefaults.LinkReceiveQueueChars,
                FirmwareDefaults.LinkConnectAbandonMs,
                FirmwareDefaults.LinkConnectStuckRebootMs,
                wifi,
                log);
            ISoilProbe[] soil = AdcSoilProbe.OpenAll(FirstOf(BoardConfig.SoilAdcChannels, config.SoilProbes.Length));
            var climate = new Dht22ClimateSensor(BoardConfig.DhtEchoPin, BoardConfig.DhtTriggerPin, gpio, log);

            // Every relay was driven off above; the core drives only the ones its zones use.
            IValve[] zoneValves = new IValve[config.Zones.Length];
            Array.Copy(valves, zoneValves, zoneValves.Length);
            var controller = new Controller(config, climate, soil, zoneValves, link, serial, new DeviceInfo(), random.Next());
            var watchdog = new SoftwareWatchdog(
                FirmwareDefaults.WatchdogStallMs,
                FirmwareDefaults.WatchdogCheckPeriodMs,
                FirmwareDefaults.WatchdogMaxConsecutiveReboots,
                FirmwareDefaults.WatchdogHealthyResetMs,
                FirmwareDefaults.WatchdogStatePath,
                log);

            controller.Start(Uptime.Milliseconds);
            watchdog.Arm(Uptime.Milliseconds);
            log.Info("boot", "running");

            while (true)
            {
                long now = Uptime.Milliseconds;
                try
                {
                    controller.Tick(now);
                }
                catch (Exception ex)
                {
                    // The core must not throw; if it does, keep ticking (valves keep their lease timers).
                    log.Error("boot", "tick failed: " + ex.Message);
                }

                watchdog.Feed(now);
                Thread.Sleep(FirmwareDefaults.TickPeriodMs);
            }
        }

        private static int[] FirstOf(int[] values, int count)
        {
            int[] first = new int[count];
            Array.Copy(values, first, count);
            return first;
        }
    }
}
