using System.Collections;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;

namespace Irrigation.Core.Config
{
    /// <summary>
    /// Reads the config file (<c>I:\irrigation.json</c>, format in docs/config.md) into a
    /// <see cref="ControllerConfig"/>. Never throws on bad text: every wrong field comes back as a message in
    /// <see cref="ConfigReadResult.Errors"/>. Missing optional keys keep the defaults; unknown keys are
    /// warnings (a typo in a safety setting should be visible, but must not brick a field device).
    /// </summary>
    public static class ControllerConfigReader
    {
        /// <summary>The longest file accepted, in characters.</summary>
        public const int MaxFileChars = 16384;

        /// <summary>
        /// Errors, and warnings, listed at most; the rest are counted in one last message. A damaged file can hold
        /// thousands of bad or unknown keys, and their messages must not fill the board's heap.
        /// </summary>
        public const int MaxMessages = 64;

        /// <summary>Reads <paramref name="text"/>; the firmware version and boot id are left at their defaults.</summary>
        public static ConfigReadResult Read(string text)
        {
            return Read(text, null, 0);
        }

        /// <summary>
        /// Reads <paramref name="text"/> and sets the values that do not come from the file: the firmware
        /// version (null keeps the default) and this boot's random id.
        /// </summary>
        public static ConfigReadResult Read(string text, string firmwareVersion, long bootId)
        {
            Parse p = new Parse();
            ControllerConfig config = new ControllerConfig();
            if (firmwareVersion != null)
            {
                config.FirmwareVersion = firmwareVersion;
            }

            config.BootId = bootId;
            if (text == null || text.Length == 0)
            {
                p.Errors.Add("file is empty");
            }
            else if (text.Length > MaxFileChars)
            {
                p.Errors.Add("file is larger than " + MaxFileChars.ToString() + " characters");
            }
            else
            {
                p.Document(text, config);
            }

            if (p.Errors.Count == 0)
            {
                string[] invalid = config.Validate();
                for (int i = 0; i < invalid.Length; i++)
                {
                    p.Errors.Add(invalid[i]);
                }
            }

            return new ConfigReadResult(config, p.Errors.ToArray(), p.Warnings.ToArray());
        }

        // A list of messages that keeps the first MaxMessages and counts the rest.
        private sealed class Messages
        {
            private readonly ArrayList _kept = new ArrayList();
            private int _dropped;

            public int Count
            {
                get { return _kept.Count + _dropped; }
            }

            public void Add(string message)
            {
                Add(message, null);
            }

            // The two parts are joined only for a message that is kept.
            public void Add(string subject, string problem)
            {
                if (_kept.Count < MaxMessages)
                {
                    _kept.Add(problem == null ? subject : subject + problem);
                }
                else
                {
                    _dropped++;
                }
            }

            public string[] ToArray()
            {
                if (_dropped > 0)
                {
                    _kept.Add("... and " + _dropped.ToString() + " more not listed");
                    _dropped = 0;
                }

                return ControllerConfig.ToArray(_kept);
            }
        }

        // One parse: the reader plus the error lists, so the helpers stay small.
        private sealed class Parse
        {
            public readonly Messages Errors = new Messages();
            public readonly Messages Warnings = new Messages();
            private readonly JsonReader _r = new JsonReader();
            private readonly ArrayList _scheduleZones = new ArrayList();

            public void Document(string text, ControllerConfig config)
            {
                _r.Reset(text);
                if (!_r.Read() || _r.Token != JsonToken.StartObject)
                {
                    Errors.Add(_r.Token == JsonToken.Invalid ? "not valid JSON: " + _r.Error : "the file must be one JSON object");
                    return;
                }

                ArrayList schedules = null;
                while (_r.Read() && _r.Token == JsonToken.PropertyName)
                {
                    string key = _r.StringValue;
                    if (!_r.Read())
                    {
                        break;
                    }

                    switch (key)
                    {
                        case "device": config.DeviceId = String(key, config.DeviceId); break;
                        case "token": config.Token = String(key, config.Token); break;
                        case "server": config.ServerUrl = String(key, config.ServerUrl); break;
                        case "wifi": Wifi(config); break;
                        case "zones": Zones(config); break;
                        case "soil": Soil(config); break;
                        case "schedules": schedules = Schedules(); break;
                        case "max_open_zones": config.MaxOpenZones = Int(key, config.MaxOpenZones); break;
                        case "dht_interval": config.DhtIntervalSeconds = Int(key, config.DhtIntervalSeconds); break;
                        case "soil_interval": config.SoilIntervalSeconds = Int(key, config.SoilIntervalSeconds); break;
                        case "soil_samples": config.SoilSamples = Int(key, config.SoilSamples); break;
                        case "status_interval": config.StatusIntervalSeconds = Int(key, config.StatusIntervalSeconds); break;
                        case "keepalive": config.KeepaliveSeconds = Int(key, config.KeepaliveSeconds); break;
                        case "watchdog": config.WatchdogSeconds = Int(key, config.WatchdogSeconds); break;
                        case "buffer_capacity": config.BufferCapacity = Int(key, config.BufferCapacity); break;
                        case "send_window": config.SendWindow = Int(key, config.SendWindow); break;
                        case "backoff_cap": config.BackoffCapSeconds = Int(key, config.BackoffCapSeconds); break;
                        case "stable_after": config.StableConnectionSeconds = Int(key, config.StableConnectionSeconds); break;
                        default: Unknown(key); break;
                    }

                    if (_r.Token == JsonToken.Invalid)
                    {
                        break;
                    }
                }

                if (_r.Token == JsonToken.EndObject)
                {
                    _r.Read();
                }

                if (_r.Token != JsonToken.None)
                {
                    Errors.Add("not valid JSON: " + (_r.Error == null ? "unexpected content" : _r.Error));
                    return;
                }

                if (schedules != null)
                {
                    ResolveSchedules(config, schedules);
                }
            }

            private void Unknown(string path)
            {
                Warnings.Add(path, ": unknown key, ignored");
                _r.Skip();
            }

            private void Wifi(ControllerConfig config)
            {
                if (!ExpectObject("wifi"))
                {
                    return;
                }

                while (_r.Read() && _r.Token == JsonToken.PropertyName)
                {
                    string key = _r.StringValue;
                    if (!_r.Read())
                    {
                        return;
                    }

                    if (key == "ssid")
                    {
                        config.WifiSsid = String("wifi.ssid", config.WifiSsid);
                    }
                    else if (key == "password")
                    {
                        config.WifiPassword = String("wifi.password", config.WifiPassword);
                    }
                    else
                    {
                        Unknown("wifi." + key);
                    }
                }
            }

            private void Zones(ControllerConfig config)
            {
                if (!ExpectArray("zones"))
                {
                    return;
                }

                ArrayList zones = new ArrayList();
                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    if (SkipBeyond(zones.Count, ControllerConfig.MaxZones))
                    {
                        continue;
                    }

                    string path = "zones[" + zones.Count.ToString() + "]";
                    ZoneConfig zone = new ZoneConfig("zone" + (zones.Count + 1).ToString());
                    zones.Add(zone);
                    if (!ExpectObject(path))
                    {
                        continue;
                    }

                    bool hasRun = false;
                    while (_r.Read() && _r.Token == JsonToken.PropertyName)
                    {
                        string key = _r.StringValue;
                        if (!_r.Read())
                        {
                            return;
                        }

                        string at = path + "." + key;
                        switch (key)
                        {
                            case "name": zone.Name = String(at, zone.Name); break;
                            case "max_duration": zone.MaxDurationSeconds = Int(at, zone.MaxDurationSeconds); break;
                            case "soil_probe": zone.SoilProbe = Int(at, zone.SoilProbe); break;
                            case "dry": zone.DryDeciPercent = Int(at, zone.DryDeciPercent); break;
                            case "wet": zone.WetDeciPercent = Int(at, zone.WetDeciPercent); break;
                            case "run": zone.RunSeconds = Int(at, zone.RunSeconds); hasRun = true; break;
                            case "min_interval": zone.MinIntervalSeconds = Int(at, zone.MinIntervalSeconds); break;
                            default: Unknown(at); break;
                        }
                    }

                    // The default run must not exceed a shorter maximum the file chose.
                    if (!hasRun && zone.RunSeconds > zone.MaxDurationSeconds && zone.MaxDurationSeconds > 0)
                    {
                        zone.RunSeconds = zone.MaxDurationSeconds;
                    }
                }

                ZoneConfig[] result = new ZoneConfig[zones.Count];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (ZoneConfig)zones[i];
                }

                config.Zones = result;
            }

            private void Soil(ControllerConfig config)
            {
                if (!ExpectArray("soil"))
                {
                    return;
                }

                ArrayList probes = new ArrayList();
                int index = 0;
                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    if (SkipBeyond(index, ControllerConfig.MaxSoilProbes))
                    {
                        continue;
                    }

                    string path = "soil[" + index.ToString() + "]";
                    index++;
                    int dry = SoilCalibration.DefaultDryRaw;
                    int wet = SoilCalibration.DefaultWetRaw;
                    if (!ExpectObject(path))
                    {
                        continue;
                    }

                    while (_r.Read() && _r.Token == JsonToken.PropertyName)
                    {
                        string key = _r.StringValue;
                        if (!_r.Read())
                        {
                            return;
                        }

                        if (key == "dry_raw")
                        {
                            dry = Int(path + ".dry_raw", dry);
                        }
                        else if (key == "wet_raw")
                        {
                            wet = Int(path + ".wet_raw", wet);
                        }
                        else
                        {
                            Unknown(path + "." + key);
                        }
                    }

                    if (dry < 0 || dry > 65535 || wet < 0 || wet > 65535)
                    {
                        Errors.Add(path + ": dry_raw and wet_raw must be 0 to 65535");
                    }
                    else if (dry - wet < 100 && wet - dry < 100)
                    {
                        Errors.Add(path + ": dry_raw and wet_raw must be at least 100 apart (is " + dry.ToString() + " / " + wet.ToString() + ")");
                    }
                    else
                    {
                        probes.Add(new SoilCalibration(dry, wet));
                    }
                }

                SoilCalibration[] result = new SoilCalibration[probes.Count];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (SoilCalibration)probes[i];
                }

                config.SoilProbes = result;
            }

            private ArrayList Schedules()
            {
                ArrayList list = new ArrayList();
                if (!ExpectArray("schedules"))
                {
                    return list;
                }

                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    if (SkipBeyond(list.Count, ControllerConfig.MaxSchedules))
                    {
                        continue;
                    }

                    string path = "schedules[" + list.Count.ToString() + "]";
                    ScheduleConfig entry = new ScheduleConfig(-1, -1, 0);
                    list.Add(entry);
                    _scheduleZones.Add(null);
                    if (!ExpectObject(path))
                    {
                        continue;
                    }

                    while (_r.Read() && _r.Token == JsonToken.PropertyName)
                    {
                        string key = _r.StringValue;
                        if (!_r.Read())
                        {
                            return list;
                        }

                        string at = path + "." + key;
                        if (key == "zone")
                        {
                            _scheduleZones[list.Count - 1] = String(at, null);
                        }
                        else if (key == "at")
                        {
                            string hhmm = String(at, null);
                            if (hhmm != null)
                            {
                                entry.MinuteOfDayUtc = ParseTime(hhmm);
                                if (entry.MinuteOfDayUtc < 0)
                                {
                                    Errors.Add(at + ": must be \"HH:MM\" (UTC, 00:00 to 23:59)");
                                }
                            }
                        }
                        else if (key == "duration")
                        {
                            entry.DurationSeconds = Int(at, 0);
                        }
                        else
                        {
                            Unknown(at);
                        }
                    }
                }

                return list;
            }

            private void ResolveSchedules(ControllerConfig config, ArrayList list)
            {
                ScheduleConfig[] result = new ScheduleConfig[list.Count];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (ScheduleConfig)list[i];
                    string path = "schedules[" + i.ToString() + "]";
                    string zone = (string)_scheduleZones[i];
                    if (zone == null)
                    {
                        Errors.Add(path + ".zone: missing");
                        continue;
                    }

                    result[i].ZoneIndex = config.ZoneIndex(zone);
                    if (result[i].ZoneIndex < 0)
                    {
                        Errors.Add(path + ".zone: no zone named '" + zone + "'");
                    }

                    if (result[i].DurationSeconds == 0)
                    {
                        Errors.Add(path + ".duration: missing");
                    }
                }

                config.Schedules = result;
            }

            // Entries of a list past one more than its maximum are skipped unread: the one extra makes validation
            // report the list as too long, and a file with thousands of entries cannot fill the heap with them.
            private bool SkipBeyond(int read, int max)
            {
                if (read <= max)
                {
                    return false;
                }

                _r.Skip();
                return true;
            }

            private bool ExpectObject(string path)
            {
                if (_r.Token == JsonToken.StartObject)
                {
                    return true;
                }

                Errors.Add(path + ": must be an object");
                _r.Skip();
                return false;
            }

            private bool ExpectArray(string path)
            {
                if (_r.Token == JsonToken.StartArray)
                {
                    return true;
                }

                Errors.Add(path + ": must be an array");
                _r.Skip();
                return false;
            }

            private string String(string path, string fallback)
            {
                if (_r.Token == JsonToken.String)
                {
                    return _r.StringValue;
                }

                Errors.Add(path + ": must be a string");
                _r.Skip();
                return fallback;
            }

            private int Int(string path, int fallback)
            {
                if (_r.Token == JsonToken.Number && _r.IsInteger && _r.IntegerValue >= int.MinValue && _r.IntegerValue <= int.MaxValue)
                {
                    return (int)_r.IntegerValue;
                }

                Errors.Add(path + ": must be a whole number");
                _r.Skip();
                return fallback;
            }

            private static int ParseTime(string text)
            {
                if (text.Length != 5 || text[2] != ':')
                {
                    return -1;
                }

                int h1 = text[0] - '0';
                int h2 = text[1] - '0';
                int m1 = text[3] - '0';
                int m2 = text[4] - '0';
                if (h1 < 0 || h1 > 9 || h2 < 0 || h2 > 9 || m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9)
                {
                    return -1;
                }

                int hours = h1 * 10 + h2;
                int minutes = m1 * 10 + m2;
                if (hours > 23 || minutes > 59)
                {
                    return -1;
                }

                return hours * 60 + minutes;
            }
        }
    }
}
