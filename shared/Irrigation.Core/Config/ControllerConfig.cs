using System;
using System.Collections;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;

namespace Irrigation.Core.Config
{
    /// <summary>
    /// Everything the controller needs to run, with safe defaults. Read from <c>I:\irrigation.json</c> by
    /// <see cref="ControllerConfigReader"/> (format: docs/config.md) or built in code (simulator, tests).
    /// The <em>settings</em> are every key except the connection (<c>device</c>, <c>token</c>, <c>server</c>,
    /// <c>wifi</c>): the server may replace them at run time (<see cref="ControllerConfigReader.ReadSettings"/>).
    /// <see cref="Validate"/> lists every wrong key, <see cref="ValidateSettings"/> every wrong setting; the
    /// <c>Controller</c> refuses an invalid config.
    /// </summary>
    public sealed class ControllerConfig
    {
        /// <summary>The most zones a device may have (the wire's <c>zones</c> arrays hold at most 16).</summary>
        public const int MaxZones = 16;
        /// <summary>The most soil probes.</summary>
        public const int MaxSoilProbes = 8;
        /// <summary>The most schedule entries.</summary>
        public const int MaxSchedules = 32;
        /// <summary>The shortest DHT read interval the sensor allows, in seconds.</summary>
        public const int MinDhtIntervalSeconds = 2;
        /// <summary>Smallest offline buffer, in events.</summary>
        public const int MinBufferCapacity = 16;
        /// <summary>Largest offline buffer, in events (about 30 bytes each).</summary>
        public const int MaxBufferCapacity = 2048;
        /// <summary>Most unacknowledged events in flight (send_window).</summary>
        public const int MaxSendWindow = 64;
        /// <summary>Longest server URL, in characters (the board keeps it for the life of the boot).</summary>
        public const int MaxServerUrlChars = 256;
        /// <summary>Longest zone name (names are identifiers on the wire: letters, digits, '-', '_').</summary>
        public const int MaxZoneNameChars = 32;
        /// <summary>Largest seasonal adjustment, in percent of the programmed durations.</summary>
        public const int MaxSeasonalPercent = 250;
        /// <summary>Latest rain delay end accepted, Unix seconds (2100-01-01).</summary>
        public const long MaxRainDelayUntil = 4102444800;
        /// <summary>Coldest freeze threshold accepted, tenths of °C: the lowest temperature the air sensor reports.</summary>
        public static readonly int MinFreezeDeciCelsius = ReadingSpecs.Temperature.Min;
        /// <summary>Warmest freeze threshold accepted, tenths of °C.</summary>
        public const int MaxFreezeDeciCelsius = 400;
        /// <summary><see cref="FreezeSkipBelowDeciCelsius"/> value that turns freeze skip off (JSON <c>null</c>).</summary>
        public const int FreezeSkipOff = int.MinValue;
        /// <summary>The most pulses per litre accepted (hall-effect meters give a few hundred).</summary>
        public const int MaxPulsesPerLitre = 100000;
        /// <summary>The longest master valve lead or lag, in seconds.</summary>
        public const int MaxMasterSeconds = 60;

        /// <summary>Creates a config with the defaults: one zone <c>zone1</c> (max 1800 s), one soil probe, sequential zones.</summary>
        public ControllerConfig()
        {
            DeviceId = string.Empty;
            Token = string.Empty;
            ServerUrl = string.Empty;
            WifiSsid = string.Empty;
            WifiPassword = string.Empty;
            FirmwareVersion = "1.0.0";
            Zones = new ZoneConfig[] { new ZoneConfig("zone1") };
            SoilProbes = new SoilCalibration[] { new SoilCalibration(SoilCalibration.DefaultDryRaw, SoilCalibration.DefaultWetRaw) };
            Schedules = new ScheduleConfig[0];
            MaxOpenZones = 1;
            DhtIntervalSeconds = 30;
            SoilIntervalSeconds = 60;
            SoilSamples = 11;
            StatusIntervalSeconds = 60;
            KeepaliveSeconds = 30;
            WatchdogSeconds = 150;
            BufferCapacity = 256;
            SendWindow = 8;
            BackoffCapSeconds = 60;
            StableConnectionSeconds = 60;
            SeasonalPercent = 100;
            RainDelayUntil = 0;
            FreezeSkipBelowDeciCelsius = FreezeSkipOff;
            PulsesPerLitre = 0;
            MasterLeadSeconds = 0;
            MasterLagSeconds = 0;
            FlowSettleSeconds = 30;
            FlowHighPercent = 150;
            FlowHighDelaySeconds = 15;
            FlowLowPercent = 50;
            FlowLowDelaySeconds = 60;
            FlowNoneDelaySeconds = 30;
            LeakRateDeciLitresPerMinute = 5;
            LeakDelaySeconds = 120;
        }

        /// <summary>Device id as provisioned on the server (key <c>device</c>).</summary>
        public string DeviceId { get; set; }

        /// <summary>Device token sent in hello (key <c>token</c>).</summary>
        public string Token { get; set; }

        /// <summary>Server WebSocket URL, ws:// or wss:// (key <c>server</c>).</summary>
        public string ServerUrl { get; set; }

        /// <summary>Wi-Fi network name for the firmware's Wi-Fi adapter (key <c>wifi.ssid</c>); the core does not use it.</summary>
        public string WifiSsid { get; set; }

        /// <summary>Wi-Fi password (key <c>wifi.password</c>); the core does not use it.</summary>
        public string WifiPassword { get; set; }

        /// <summary>Firmware version sent in hello; set by the application, not the file.</summary>
        public string FirmwareVersion { get; set; }

        /// <summary>Random number chosen at each boot, sent in hello; set by the application, not the file.</summary>
        public long BootId { get; set; }

        /// <summary>The zones, in valve order (key <c>zones</c>).</summary>
        public ZoneConfig[] Zones { get; set; }

        /// <summary>Calibration of each soil probe, in probe order (key <c>soil</c>).</summary>
        public SoilCalibration[] SoilProbes { get; set; }

        /// <summary>Programs (key <c>schedules</c>), in local time; they run only while the clock is trusted.</summary>
        public ScheduleConfig[] Schedules { get; set; }

        /// <summary>Percent applied to every schedule duration, 0–250 (key <c>seasonal_percent</c>, default 100).</summary>
        public int SeasonalPercent { get; set; }

        /// <summary>
        /// No automatic (schedule or soil) watering before this Unix time, UTC; 0 = none (key <c>rain_delay_until</c>).
        /// Manual commands are not affected.
        /// </summary>
        public long RainDelayUntil { get; set; }

        /// <summary>
        /// No automatic watering while the last good air temperature is below this, in tenths of °C, or
        /// <see cref="FreezeSkipOff"/> (key <c>freeze_skip_below</c>, <c>null</c> = off, the default).
        /// </summary>
        public int FreezeSkipBelowDeciCelsius { get; set; }

        /// <summary>
        /// Pulses the flow meter on the main line gives per litre (key <c>pulses_per_litre</c>; a YF-S201 gives about
        /// 450). 0 = no meter (the default): no volumes, no flow alarms, no watering by volume.
        /// </summary>
        public int PulsesPerLitre { get; set; }

        /// <summary>Seconds the master valve (or pump relay) opens before a zone valve, 0–60 (key <c>master_lead</c>, default 0).</summary>
        public int MasterLeadSeconds { get; set; }

        /// <summary>Seconds the master valve stays open after the last zone closed, 0–60 (key <c>master_lag</c>, default 0).</summary>
        public int MasterLagSeconds { get; set; }

        /// <summary>
        /// Seconds after a zone opens (pipes fill, air escapes) during which its flow raises no alarm, and after a
        /// valve closes during which flow with every valve closed is not yet a leak (the line drains), 0–600
        /// (key <c>flow_settle</c>, default 30).
        /// </summary>
        public int FlowSettleSeconds { get; set; }

        /// <summary>
        /// A zone flowing above this percent of its baseline for <see cref="FlowHighDelaySeconds"/> is stopped
        /// (<c>flow_alert</c> high: broken pipe), 0 = off or 110–1000 (key <c>flow_high</c>, default 150).
        /// </summary>
        public int FlowHighPercent { get; set; }

        /// <summary>Debounce of the high-flow alarm, 1–600 s (key <c>flow_high_delay</c>, default 15).</summary>
        public int FlowHighDelaySeconds { get; set; }

        /// <summary>
        /// A zone flowing below this percent of its baseline for <see cref="FlowLowDelaySeconds"/> is reported
        /// (<c>flow_alert</c> low: clogged or low pressure; it keeps watering), 0 = off or 10–90 (key <c>flow_low</c>, default 50).
        /// </summary>
        public int FlowLowPercent { get; set; }

        /// <summary>Debounce of the low-flow alarm, 1–3600 s (key <c>flow_low_delay</c>, default 60).</summary>
        public int FlowLowDelaySeconds { get; set; }

        /// <summary>No pulse at all this long (after <see cref="FlowSettleSeconds"/>) with a zone open stops it (<c>flow_alert</c> none), 1–3600 s (key <c>flow_none_delay</c>, default 30).</summary>
        public int FlowNoneDelaySeconds { get; set; }

        /// <summary>Flow with every valve closed at or above this rate is a leak, tenths of L/min, 1–100000 (key <c>leak_rate</c>, default 5 = 0.5 L/min).</summary>
        public int LeakRateDeciLitresPerMinute { get; set; }

        /// <summary>Debounce of the leak alarm, 10–3600 s (key <c>leak_delay</c>, default 120).</summary>
        public int LeakDelaySeconds { get; set; }

        /// <summary>True when a flow meter is configured (<see cref="PulsesPerLitre"/> above 0).</summary>
        public bool HasFlowMeter
        {
            get { return PulsesPerLitre > 0; }
        }

        /// <summary>Zones that may be open at once (key <c>max_open_zones</c>, default 1 = sequential).</summary>
        public int MaxOpenZones { get; set; }

        /// <summary>Seconds between DHT reads, 2–3600 (key <c>dht_interval</c>, default 30).</summary>
        public int DhtIntervalSeconds { get; set; }

        /// <summary>Seconds between soil readings, 1–3600 (key <c>soil_interval</c>, default 60).</summary>
        public int SoilIntervalSeconds { get; set; }

        /// <summary>ADC conversions per soil reading (median), 1–32 (key <c>soil_samples</c>, default 11).</summary>
        public int SoilSamples { get; set; }

        /// <summary>Seconds between status events, 10–3600 (key <c>status_interval</c>, default 60).</summary>
        public int StatusIntervalSeconds { get; set; }

        /// <summary>WebSocket ping interval for the transport adapter, 5–600 s (key <c>keepalive</c>, default 30).</summary>
        public int KeepaliveSeconds { get; set; }

        /// <summary>
        /// Seconds without any received frame before the link is torn down and rebuilt (key <c>watchdog</c>,
        /// default 150). Must exceed the status interval: the server's ack of each status keeps a quiet link alive.
        /// </summary>
        public int WatchdogSeconds { get; set; }

        /// <summary>Events the offline buffer holds, 16–2048 (key <c>buffer_capacity</c>, default 256).</summary>
        public int BufferCapacity { get; set; }

        /// <summary>Unacknowledged events in flight at most, 1–64 (key <c>send_window</c>, default 8).</summary>
        public int SendWindow { get; set; }

        /// <summary>Longest reconnect delay, 5–600 s (key <c>backoff_cap</c>, default 60).</summary>
        public int BackoffCapSeconds { get; set; }

        /// <summary>A connection up this long resets the backoff (key <c>stable_after</c>, default 60 s).</summary>
        public int StableConnectionSeconds { get; set; }

        /// <summary>Index of the zone named <paramref name="name"/>, or -1.</summary>
        public int ZoneIndex(string name)
        {
            if (Zones == null || name == null)
            {
                return -1;
            }

            for (int i = 0; i < Zones.Length; i++)
            {
                if (Zones[i] != null && Zones[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The zone names in order (a new array).</summary>
        public string[] ZoneNames()
        {
            string[] names = new string[Zones == null ? 0 : Zones.Length];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = Zones[i] == null ? null : Zones[i].Name;
            }

            return names;
        }

        /// <summary>Every wrong key, one message each (key path first); empty when the config is usable.</summary>
        public string[] Validate()
        {
            ArrayList errors = new ArrayList();
            CheckText(errors, "device", DeviceId, 64, true);
            if (DeviceId != null && !IsIdentifier(DeviceId))
            {
                errors.Add("device: use letters, digits, '-', '_' or '.'");
            }

            CheckText(errors, "token", Token, 256, true);
            CheckUrl(errors, ServerUrl);
            CheckText(errors, "wifi.ssid", WifiSsid, 32, false);
            CheckText(errors, "wifi.password", WifiPassword, 64, false);
            CheckText(errors, "firmware", FirmwareVersion, 32, true);
            AddSettingsErrors(errors);
            return ToArray(errors);
        }

        /// <summary>
        /// Every wrong setting (all keys but <c>device</c>, <c>token</c>, <c>server</c>, <c>wifi</c>), one message
        /// each, key path first; empty when the settings are usable. The server checks a dashboard's settings
        /// with this, so server and device can never disagree on what is valid.
        /// </summary>
        public string[] ValidateSettings()
        {
            ArrayList errors = new ArrayList();
            AddSettingsErrors(errors);
            return ToArray(errors);
        }

        /// <summary>A deep copy (zones, probes and schedules are copied; the calibrations are immutable and shared).</summary>
        public ControllerConfig Copy()
        {
            ControllerConfig c = (ControllerConfig)MemberwiseClone();
            if (Zones != null)
            {
                c.Zones = new ZoneConfig[Zones.Length];
                for (int i = 0; i < Zones.Length; i++)
                {
                    c.Zones[i] = Zones[i] == null ? null : Zones[i].Copy();
                }
            }

            if (SoilProbes != null)
            {
                c.SoilProbes = new SoilCalibration[SoilProbes.Length];
                Array.Copy(SoilProbes, c.SoilProbes, SoilProbes.Length);
            }

            if (Schedules != null)
            {
                c.Schedules = new ScheduleConfig[Schedules.Length];
                for (int i = 0; i < Schedules.Length; i++)
                {
                    c.Schedules[i] = Schedules[i] == null ? null : Schedules[i].Copy();
                }
            }

            return c;
        }

        /// <summary>
        /// True for a valid zone name: 1–32 of letters, digits, '-' and '_'. Names travel in hello and in every
        /// zones array, and the server accepts no other, so the device must never take one.
        /// </summary>
        public static bool IsZoneName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxZoneNameChars)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private void AddSettingsErrors(ArrayList errors)
        {
            int probeCount = SoilProbes == null ? 0 : SoilProbes.Length;
            if (probeCount > MaxSoilProbes)
            {
                errors.Add("soil: at most " + MaxSoilProbes.ToString() + " probes");
            }

            for (int i = 0; i < probeCount; i++)
            {
                if (SoilProbes[i] == null)
                {
                    errors.Add("soil[" + i.ToString() + "]: missing");
                }
            }

            int zoneCount = Zones == null ? 0 : Zones.Length;
            if (zoneCount < 1 || zoneCount > MaxZones)
            {
                errors.Add("zones: need 1 to " + MaxZones.ToString() + " zones");
            }

            for (int i = 0; i < zoneCount; i++)
            {
                CheckZone(errors, i, probeCount);
            }

            if (MaxOpenZones < 1 || MaxOpenZones > (zoneCount < 1 ? 1 : zoneCount))
            {
                errors.Add("max_open_zones: must be 1 to the number of zones (" + zoneCount.ToString() + ")");
            }

            int scheduleCount = Schedules == null ? 0 : Schedules.Length;
            if (scheduleCount > MaxSchedules)
            {
                errors.Add("schedules: at most " + MaxSchedules.ToString() + " entries");
            }

            for (int i = 0; i < scheduleCount; i++)
            {
                CheckSchedule(errors, i, zoneCount);
            }

            CheckRange(errors, "seasonal_percent", SeasonalPercent, 0, MaxSeasonalPercent);
            if (RainDelayUntil < 0 || RainDelayUntil > MaxRainDelayUntil)
            {
                errors.Add("rain_delay_until: must be 0 (none) or a Unix time in seconds before " + MaxRainDelayUntil.ToString());
            }

            if (FreezeSkipBelowDeciCelsius != FreezeSkipOff)
            {
                CheckRange(errors, "freeze_skip_below", FreezeSkipBelowDeciCelsius, MinFreezeDeciCelsius, MaxFreezeDeciCelsius);
            }

            CheckZeroOrRange(errors, "pulses_per_litre", PulsesPerLitre, 1, MaxPulsesPerLitre, "no flow meter");
            CheckRange(errors, "master_lead", MasterLeadSeconds, 0, MaxMasterSeconds);
            CheckRange(errors, "master_lag", MasterLagSeconds, 0, MaxMasterSeconds);
            CheckRange(errors, "flow_settle", FlowSettleSeconds, 0, 600);
            CheckZeroOrRange(errors, "flow_high", FlowHighPercent, 110, 1000, "off");
            CheckRange(errors, "flow_high_delay", FlowHighDelaySeconds, 1, 600);
            CheckZeroOrRange(errors, "flow_low", FlowLowPercent, 10, 90, "off");
            CheckRange(errors, "flow_low_delay", FlowLowDelaySeconds, 1, 3600);
            CheckRange(errors, "flow_none_delay", FlowNoneDelaySeconds, 1, 3600);
            CheckRange(errors, "leak_rate", LeakRateDeciLitresPerMinute, 1, ReadingSpecs.Flow.Max);
            CheckRange(errors, "leak_delay", LeakDelaySeconds, 10, 3600);
            CheckRange(errors, "dht_interval", DhtIntervalSeconds, MinDhtIntervalSeconds, 3600);
            CheckRange(errors, "soil_interval", SoilIntervalSeconds, 1, 3600);
            CheckRange(errors, "soil_samples", SoilSamples, 1, 32);
            CheckRange(errors, "status_interval", StatusIntervalSeconds, 10, 3600);
            CheckRange(errors, "keepalive", KeepaliveSeconds, 5, 600);
            CheckRange(errors, "watchdog", WatchdogSeconds, 20, 3600);
            if (WatchdogSeconds <= StatusIntervalSeconds)
            {
                errors.Add("watchdog: must be longer than status_interval (" + StatusIntervalSeconds.ToString() + " s), or a quiet link is torn down");
            }

            CheckRange(errors, "buffer_capacity", BufferCapacity, MinBufferCapacity, MaxBufferCapacity);
            CheckRange(errors, "send_window", SendWindow, 1, MaxSendWindow);
            CheckRange(errors, "backoff_cap", BackoffCapSeconds, 5, 600);
            CheckRange(errors, "stable_after", StableConnectionSeconds, 5, 3600);
        }

        private void CheckZone(ArrayList errors, int i, int probeCount)
        {
            string path = "zones[" + i.ToString() + "]";
            ZoneConfig z = Zones[i];
            if (z == null)
            {
                errors.Add(path + ": missing");
                return;
            }

            if (!IsZoneName(z.Name))
            {
                errors.Add(path + ".name: must be 1 to " + MaxZoneNameChars.ToString() + " letters, digits, '-' or '_'");
            }

            for (int j = 0; j < i; j++)
            {
                if (Zones[j] != null && IsZoneName(z.Name) && Zones[j].Name == z.Name)
                {
                    errors.Add(path + ".name: '" + z.Name + "' is used twice");
                }
            }

            CheckRange(errors, path + ".max_duration", z.MaxDurationSeconds, 1, 86400);
            if (z.SoilProbe < -1 || z.SoilProbe >= probeCount)
            {
                errors.Add(path + ".soil_probe: must be -1 (none) or 0 to " + (probeCount - 1).ToString());
            }

            CheckRange(errors, path + ".dry", z.DryDeciPercent, 0, 1000);
            CheckRange(errors, path + ".wet", z.WetDeciPercent, 0, 1000);
            if (z.WetDeciPercent <= z.DryDeciPercent)
            {
                errors.Add(path + ".wet: must be above dry (" + z.DryDeciPercent.ToString() + ") so the soil rule has hysteresis");
            }

            CheckRange(errors, path + ".run", z.RunSeconds, 1, z.MaxRunSeconds < 1 ? 1 : z.MaxRunSeconds);
            CheckRange(errors, path + ".min_interval", z.MinIntervalSeconds, 0, 7 * 86400);
            if (z.CycleSeconds != 0)
            {
                CheckRange(errors, path + ".cycle", z.CycleSeconds, 1, z.MaxDurationSeconds < 1 ? 1 : z.MaxDurationSeconds);
            }

            CheckRange(errors, path + ".soak", z.SoakSeconds, 60, 86400);
        }

        private void CheckSchedule(ArrayList errors, int i, int zoneCount)
        {
            string path = "schedules[" + i.ToString() + "]";
            ScheduleConfig s = Schedules[i];
            if (s == null)
            {
                errors.Add(path + ": missing");
                return;
            }

            if (s.ZoneIndex < 0 || s.ZoneIndex >= zoneCount)
            {
                errors.Add(path + ".zone: unknown zone");
                return;
            }

            CheckRange(errors, path + ".at", s.MinuteOfDay, 0, 1439);
            if ((s.Days & EveryDayMask) == 0 || (s.Days & ~EveryDayMask) != 0)
            {
                errors.Add(path + ".days: name at least one day");
            }

            int max = Zones[s.ZoneIndex] == null ? 1 : Zones[s.ZoneIndex].MaxRunSeconds;
            CheckRange(errors, path + ".duration", s.DurationSeconds, 1, max < 1 ? 1 : max);
        }

        private const int EveryDayMask = ScheduleConfig.EveryDay;

        private static void CheckUrl(ArrayList errors, string url)
        {
            if (url == null || url.Length == 0)
            {
                errors.Add("server: missing (ws://host:port/ or wss://host/)");
                return;
            }

            if (url.Length > MaxServerUrlChars)
            {
                errors.Add("server: at most " + MaxServerUrlChars.ToString() + " characters");
                return;
            }

            int hostStart;
            if (url.IndexOf("ws://") == 0)
            {
                hostStart = 5;
            }
            else if (url.IndexOf("wss://") == 0)
            {
                hostStart = 6;
            }
            else
            {
                errors.Add("server: must start with ws:// or wss://");
                return;
            }

            if (url.Length <= hostStart || url[hostStart] == '/' || url[hostStart] == ':')
            {
                errors.Add("server: host is missing");
            }

            for (int i = 0; i < url.Length; i++)
            {
                if (url[i] <= ' ' || url[i] > '~')
                {
                    errors.Add("server: must not contain spaces or control characters");
                    return;
                }
            }

            if (url.Length > 256)
            {
                errors.Add("server: longer than 256 characters");
            }
        }

        private static void CheckText(ArrayList errors, string path, string value, int maxLength, bool required)
        {
            if (value == null || value.Length == 0)
            {
                if (required)
                {
                    errors.Add(path + ": missing");
                }

                return;
            }

            if (value.Length > maxLength)
            {
                errors.Add(path + ": longer than " + maxLength.ToString() + " characters");
            }

            for (int i = 0; i < value.Length; i++)
            {
                // Values end up in HTTP headers and log lines: a CR or LF would split them.
                if (value[i] < ' ')
                {
                    errors.Add(path + ": must not contain control characters");
                    return;
                }
            }
        }

        private static void CheckRange(ArrayList errors, string path, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                errors.Add(path + ": must be " + min.ToString() + " to " + max.ToString() + " (is " + value.ToString() + ")");
            }
        }

        private static void CheckZeroOrRange(ArrayList errors, string path, int value, int min, int max, string zeroMeans)
        {
            if (value != 0 && (value < min || value > max))
            {
                errors.Add(path + ": must be 0 (" + zeroMeans + ") or " + min.ToString() + " to " + max.ToString() + " (is " + value.ToString() + ")");
            }
        }

        private static bool IsIdentifier(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        internal static string[] ToArray(ArrayList list)
        {
            string[] result = new string[list.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (string)list[i];
            }

            return result;
        }
    }
}
