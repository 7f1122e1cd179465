using System.Collections;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;

namespace Irrigation.Core.Config
{
    /// <summary>
    /// Reads the config file (<c>I:\irrigation.json</c>, format in docs/config.md) into a
    /// <see cref="ControllerConfig"/>, and the server's settings (the same keys except the connection) on top of
    /// one. Never throws on bad text: every wrong field comes back as a message in
    /// <see cref="ConfigReadResult.Errors"/>. Missing optional keys keep their value (the default, or the base's
    /// for settings); unknown keys are warnings (a typo in a safety setting should be visible, but must not brick
    /// a field device). Memory is bounded by the text limit and by the entry and message caps below.
    /// </summary>
    public static class ControllerConfigReader
    {
        /// <summary>The longest file accepted, in characters.</summary>
        public const int MaxFileChars = 16384;

        /// <summary>The longest settings object accepted, in characters (it arrives in one frame).</summary>
        public const int MaxSettingsChars = ServerMessageParser.MaxFrameChars;

        /// <summary>Errors (and, separately, warnings) kept at most; the last one then says how many more there were.</summary>
        public const int MaxMessages = 32;

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
            ControllerConfig config = new ControllerConfig();
            if (firmwareVersion != null)
            {
                config.FirmwareVersion = firmwareVersion;
            }

            config.BootId = bootId;
            Parse p = new Parse(false, false);
            p.Document(text, MaxFileChars, "file is empty", "file is larger than ", config);
            p.Validated(config.Validate());
            return p.Result(config);
        }

        /// <summary>
        /// Reads the server's settings (<paramref name="settingsJson"/>: one JSON object with the config file's
        /// keys except <c>device</c>, <c>token</c>, <c>server</c> and <c>wifi</c>) on top of a copy of
        /// <paramref name="baseConfig"/> (the board's file on the device; on the server, a config with the device's
        /// zones, or null for the defaults). A top-level key that is present replaces the base's value as a whole
        /// (a <c>zones</c> array is the complete list); an absent key keeps the base's. Then checks the result with
        /// <see cref="ControllerConfig.ValidateSettings"/>. The base is not changed.
        /// </summary>
        /// <param name="settingsJson">The settings object's JSON text.</param>
        /// <param name="baseConfig">What absent keys keep; null = the defaults.</param>
        /// <param name="unknownKeysAreErrors">
        /// True on the server, which refuses a key it does not know (a dashboard typo); false on the device, which
        /// ignores it with a warning so an older firmware still takes settings from a newer server.
        /// </param>
        public static ConfigReadResult ReadSettings(string settingsJson, ControllerConfig baseConfig, bool unknownKeysAreErrors)
        {
            ControllerConfig config = baseConfig == null ? new ControllerConfig() : baseConfig.Copy();
            Parse p = new Parse(true, unknownKeysAreErrors);
            p.Document(settingsJson, MaxSettingsChars, "settings: empty", "settings: larger than ", config);
            p.Validated(config.ValidateSettings());
            return p.Result(config);
        }

        /// <summary>
        /// The server's check of a dashboard's settings for a device whose zones it knows (from <c>devices add
        /// --zones</c> or the device's hello): <see cref="ReadSettings"/> over the defaults with those zones
        /// (none = the default zone1), unknown keys refused. <see cref="ConfigReadResult.Errors"/> is the 400 answer.
        /// </summary>
        public static ConfigReadResult CheckSettings(string settingsJson, string[] deviceZones)
        {
            ControllerConfig known = new ControllerConfig();
            if (deviceZones != null && deviceZones.Length > 0)
            {
                known.Zones = new ZoneConfig[deviceZones.Length];
                for (int i = 0; i < deviceZones.Length; i++)
                {
                    known.Zones[i] = new ZoneConfig(deviceZones[i]);
                }
            }

            return ReadSettings(settingsJson, known, true);
        }

        /// <summary>True for the keys that stay on the board and are never settings: device, token, server, wifi.</summary>
        public static bool IsConnectionKey(string key)
        {
            return key == "device" || key == "token" || key == "server" || key == "wifi";
        }

        // One parse: the reader plus the message lists, so the helpers stay small.
        private sealed class Parse
        {
            private const int MaxKeyCharsInMessage = 40;
            private static readonly string[] DayNames = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

            private readonly ArrayList _errors = new ArrayList();
            private readonly ArrayList _warnings = new ArrayList();
            // The entries ("zones[1]", "dht_interval") whose text was wrong: the validator's view of them is a fallback.
            private readonly ArrayList _wrongEntries = new ArrayList();
            private bool _unreadable;
            private readonly JsonReader _r = new JsonReader();
            private readonly bool _settings;
            private readonly bool _strict;
            private int _moreErrors;
            private int _moreWarnings;

            public Parse(bool settings, bool strict)
            {
                _settings = settings;
                _strict = strict;
            }

            public int ErrorCount
            {
                get { return _errors.Count + _moreErrors; }
            }

            public void Error(string message)
            {
                Add(message);
                string entry = Entry(message);
                if (_wrongEntries.Count < MaxMessages && !_wrongEntries.Contains(entry))
                {
                    _wrongEntries.Add(entry);
                }
            }

            /// <summary>
            /// Adds the validator's messages, so one answer lists every wrong field: all of them when the text was
            /// read cleanly, none when it was not JSON, and otherwise those about entries that read cleanly (the
            /// others hold fallback values, and a message about a value nobody wrote would mislead).
            /// </summary>
            public void Validated(string[] messages)
            {
                if (_unreadable)
                {
                    return;
                }

                for (int i = 0; i < messages.Length; i++)
                {
                    if (!_wrongEntries.Contains(Entry(messages[i])))
                    {
                        Add(messages[i]);
                    }
                }
            }

            private void Add(string message)
            {
                if (_errors.Count < MaxMessages - 1)
                {
                    _errors.Add(message);
                }
                else
                {
                    _moreErrors++;
                }
            }

            // "zones[1].dry: ..." -> "zones[1]"; "dht_interval: ..." -> "dht_interval"; a sentence -> itself.
            private static string Entry(string message)
            {
                int end = message.IndexOf(':');
                end = end < 0 ? message.Length : end;
                int bracket = message.IndexOf(']');
                if (bracket >= 0 && bracket < end)
                {
                    return message.Substring(0, bracket + 1);
                }

                int dot = message.IndexOf('.');
                return message.Substring(0, dot >= 0 && dot < end ? dot : end);
            }

            public ConfigReadResult Result(ControllerConfig config)
            {
                return new ConfigReadResult(config, Close(_errors, _moreErrors, "errors"), Close(_warnings, _moreWarnings, "warnings"));
            }

            public void Unreadable(string message)
            {
                _unreadable = true;
                Error(message);
            }

            // Reads one bounded text into config: "empty" and "larger than N characters" are messages, not work.
            public void Document(string text, int maxChars, string emptyMessage, string largerThan, ControllerConfig config)
            {
                if (text == null || text.Length == 0)
                {
                    Unreadable(emptyMessage);
                }
                else if (text.Length > maxChars)
                {
                    Unreadable(largerThan + maxChars.ToString() + " characters");
                }
                else
                {
                    Document(text, config);
                }
            }

            private void Document(string text, ControllerConfig config)
            {
                _r.Reset(text);
                if (!_r.Read() || _r.Token != JsonToken.StartObject)
                {
                    Unreadable(_r.Token == JsonToken.Invalid ? "not valid JSON: " + _r.Error : (_settings ? "settings: must be one JSON object" : "the file must be one JSON object"));
                    return;
                }

                string[] baseZoneNames = config.ZoneNames();
                ArrayList schedules = null;
                bool zonesGiven = false;
                while (_r.Read() && _r.Token == JsonToken.PropertyName)
                {
                    string key = _r.StringValue;
                    if (!_r.Read())
                    {
                        break;
                    }

                    if (_settings && IsConnectionKey(key))
                    {
                        Error(key + ": not a setting; it stays in the board's file");
                        _r.Skip();
                        continue;
                    }

                    switch (key)
                    {
                        case "device": config.DeviceId = String(key, config.DeviceId); break;
                        case "token": config.Token = String(key, config.Token); break;
                        case "server": config.ServerUrl = String(key, config.ServerUrl); break;
                        case "wifi": Wifi(config); break;
                        case "zones": Zones(config); zonesGiven = true; break;
                        case "soil": Soil(config); break;
                        case "schedules": schedules = Schedules(); break;
                        case "max_open_zones": config.MaxOpenZones = Int(key, config.MaxOpenZones); break;
                        case "seasonal_percent": config.SeasonalPercent = Int(key, config.SeasonalPercent); break;
                        case "rain_delay_until": config.RainDelayUntil = Long(key, config.RainDelayUntil); break;
                        case "freeze_skip_below": config.FreezeSkipBelowDeciCelsius = IntOrNull(key, config.FreezeSkipBelowDeciCelsius, ControllerConfig.FreezeSkipOff); break;
                        case "pulses_per_litre": config.PulsesPerLitre = Int(key, config.PulsesPerLitre); break;
                        case "master_lead": config.MasterLeadSeconds = Int(key, config.MasterLeadSeconds); break;
                        case "master_lag": config.MasterLagSeconds = Int(key, config.MasterLagSeconds); break;
                        case "flow_settle": config.FlowSettleSeconds = Int(key, config.FlowSettleSeconds); break;
                        case "flow_high": config.FlowHighPercent = Int(key, config.FlowHighPercent); break;
                        case "flow_high_delay": config.FlowHighDelaySeconds = Int(key, config.FlowHighDelaySeconds); break;
                        case "flow_low": config.FlowLowPercent = Int(key, config.FlowLowPercent); break;
                        case "flow_low_delay": config.FlowLowDelaySeconds = Int(key, config.FlowLowDelaySeconds); break;
                        case "flow_none_delay": config.FlowNoneDelaySeconds = Int(key, config.FlowNoneDelaySeconds); break;
                        case "leak_rate": config.LeakRateDeciLitresPerMinute = Int(key, config.LeakRateDeciLitresPerMinute); break;
                        case "leak_delay": config.LeakDelaySeconds = Int(key, config.LeakDelaySeconds); break;
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
                        default: Unknown(Clip(key)); break;
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
                    Unreadable("not valid JSON: " + (_r.Error == null ? "unexpected content" : _r.Error));
                    return;
                }

                if (schedules != null)
                {
                    ResolveSchedules(config, schedules);
                }
                else if (zonesGiven)
                {
                    MatchKeptSchedules(config, baseZoneNames);
                }
            }

            private void Unknown(string path)
            {
                if (_strict)
                {
                    Error(path + ": unknown key");
                }
                else if (_warnings.Count < MaxMessages - 1)
                {
                    _warnings.Add(path + ": unknown key, ignored");
                }
                else
                {
                    _moreWarnings++;
                }

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
                        Unknown("wifi." + Clip(key));
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
                bool full = false;
                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    if (zones.Count == ControllerConfig.MaxZones)
                    {
                        TooMany(ref full, "zones: at most ", ControllerConfig.MaxZones, " zones");
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

                        string at = path + "." + Clip(key);
                        switch (key)
                        {
                            case "name": zone.Name = String(at, zone.Name); break;
                            case "max_duration": zone.MaxDurationSeconds = Int(at, zone.MaxDurationSeconds); break;
                            case "soil_probe": zone.SoilProbe = Int(at, zone.SoilProbe); break;
                            case "dry": zone.DryDeciPercent = Int(at, zone.DryDeciPercent); break;
                            case "wet": zone.WetDeciPercent = Int(at, zone.WetDeciPercent); break;
                            case "run": zone.RunSeconds = Int(at, zone.RunSeconds); hasRun = true; break;
                            case "min_interval": zone.MinIntervalSeconds = Int(at, zone.MinIntervalSeconds); break;
                            case "cycle": zone.CycleSeconds = Int(at, zone.CycleSeconds); break;
                            case "soak": zone.SoakSeconds = Int(at, zone.SoakSeconds); break;
                            default: Unknown(at); break;
                        }
                    }

                    // The default run must not exceed a shorter maximum the file chose.
                    if (!hasRun && zone.RunSeconds > zone.MaxRunSeconds && zone.MaxRunSeconds > 0)
                    {
                        zone.RunSeconds = zone.MaxRunSeconds;
                    }
                }

                ZoneConfig[] result = new ZoneConfig[zones.Count];
                zones.CopyTo(result);
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
                bool full = false;
                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    if (index == ControllerConfig.MaxSoilProbes)
                    {
                        TooMany(ref full, "soil: at most ", ControllerConfig.MaxSoilProbes, " probes");
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
                            Unknown(path + "." + Clip(key));
                        }
                    }

                    if (dry < 0 || dry > 65535 || wet < 0 || wet > 65535)
                    {
                        Error(path + ": dry_raw and wet_raw must be 0 to 65535");
                    }
                    else if (dry - wet < 100 && wet - dry < 100)
                    {
                        Error(path + ": dry_raw and wet_raw must be at least 100 apart (is " + dry.ToString() + " / " + wet.ToString() + ")");
                    }
                    else
                    {
                        probes.Add(new SoilCalibration(dry, wet));
                    }
                }

                SoilCalibration[] result = new SoilCalibration[probes.Count];
                probes.CopyTo(result);
                config.SoilProbes = result;
            }

            private ArrayList Schedules()
            {
                ArrayList list = new ArrayList();
                if (!ExpectArray("schedules"))
                {
                    return list;
                }

                bool full = false;
                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    if (list.Count == ControllerConfig.MaxSchedules)
                    {
                        TooMany(ref full, "schedules: at most ", ControllerConfig.MaxSchedules, " entries");
                        continue;
                    }

                    string path = "schedules[" + list.Count.ToString() + "]";
                    ScheduleConfig entry = new ScheduleConfig(-1, -1, 0);
                    list.Add(entry);
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

                        string at = path + "." + Clip(key);
                        if (key == "zone")
                        {
                            entry.ZoneName = String(at, null);
                        }
                        else if (key == "at")
                        {
                            string hhmm = String(at, null);
                            if (hhmm != null)
                            {
                                entry.MinuteOfDay = ParseTime(hhmm);
                                if (entry.MinuteOfDay < 0)
                                {
                                    Error(at + ": must be \"HH:MM\" (local time, 00:00 to 23:59)");
                                }
                            }
                        }
                        else if (key == "days")
                        {
                            entry.Days = Days(at);
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

            // "days": ["mon", "wed", "fri"] as a bit mask (bit 0 = Sunday). An empty list is left for the validator.
            private int Days(string path)
            {
                if (!ExpectArray(path))
                {
                    return ScheduleConfig.EveryDay;
                }

                int mask = 0;
                bool reported = false;
                while (_r.Read() && _r.Token != JsonToken.EndArray)
                {
                    int day = _r.Token == JsonToken.String ? DayIndex(_r.StringValue) : -1;
                    if (day < 0 || (mask & (1 << day)) != 0)
                    {
                        if (!reported)
                        {
                            Error(path + ": must list day names (sun, mon, tue, wed, thu, fri, sat), each once");
                            reported = true;
                        }

                        if (!_r.Skip())
                        {
                            break;
                        }

                        continue;
                    }

                    mask |= 1 << day;
                }

                return mask;
            }

            private static int DayIndex(string name)
            {
                string lower = name.Length == 3 ? name.ToLower() : null;
                for (int i = 0; i < DayNames.Length; i++)
                {
                    if (lower == DayNames[i])
                    {
                        return i;
                    }
                }

                return -1;
            }

            private void ResolveSchedules(ControllerConfig config, ArrayList list)
            {
                ScheduleConfig[] result = new ScheduleConfig[list.Count];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (ScheduleConfig)list[i];
                    string path = "schedules[" + i.ToString() + "]";
                    string zone = result[i].ZoneName;
                    if (zone == null)
                    {
                        Error(path + ".zone: missing");
                        continue;
                    }

                    result[i].ZoneIndex = config.ZoneIndex(zone);
                    if (result[i].ZoneIndex < 0)
                    {
                        Error(path + ".zone: no zone named '" + Clip(zone) + "'");
                    }

                    if (result[i].DurationSeconds == 0)
                    {
                        Error(path + ".duration: missing");
                    }
                }

                config.Schedules = result;
            }

            // Settings that replace the zones but not the schedules: the kept schedules follow their zone by name.
            private void MatchKeptSchedules(ControllerConfig config, string[] oldZoneNames)
            {
                ScheduleConfig[] schedules = config.Schedules;
                for (int i = 0; schedules != null && i < schedules.Length; i++)
                {
                    ScheduleConfig s = schedules[i];
                    string name = s.ZoneName;
                    if (name == null && s.ZoneIndex >= 0 && s.ZoneIndex < oldZoneNames.Length)
                    {
                        name = oldZoneNames[s.ZoneIndex];
                    }

                    s.ZoneIndex = config.ZoneIndex(name);
                    if (s.ZoneIndex < 0)
                    {
                        Error("schedules[" + i.ToString() + "].zone: no zone named '" + Clip(name) + "' (these schedules come from the board's file; send schedules with the zones)");
                    }
                }
            }

            // An entry beyond a list's cap: named once, skipped unread, so a long list cannot exhaust the memory (the
            // message is built only the first time: a string per skipped entry would be the very cost avoided).
            private void TooMany(ref bool reported, string prefix, int max, string unit)
            {
                if (!reported)
                {
                    Error(prefix + max.ToString() + unit);
                    reported = true;
                }

                _r.Skip();
            }

            private bool ExpectObject(string path)
            {
                if (_r.Token == JsonToken.StartObject)
                {
                    return true;
                }

                Error(path + ": must be an object");
                _r.Skip();
                return false;
            }

            private bool ExpectArray(string path)
            {
                if (_r.Token == JsonToken.StartArray)
                {
                    return true;
                }

                Error(path + ": must be an array");
                _r.Skip();
                return false;
            }

            private string String(string path, string fallback)
            {
                if (_r.Token == JsonToken.String)
                {
                    return _r.StringValue;
                }

                Error(path + ": must be a string");
                _r.Skip();
                return fallback;
            }

            private int Int(string path, int fallback)
            {
                if (_r.Token == JsonToken.Number && _r.IsInteger && _r.IntegerValue >= int.MinValue && _r.IntegerValue <= int.MaxValue)
                {
                    return (int)_r.IntegerValue;
                }

                Error(path + ": must be a whole number");
                _r.Skip();
                return fallback;
            }

            private int IntOrNull(string path, int fallback, int nullValue)
            {
                if (_r.Token == JsonToken.Null)
                {
                    return nullValue;
                }

                if (_r.Token == JsonToken.Number && _r.IsInteger && _r.IntegerValue > int.MinValue && _r.IntegerValue <= int.MaxValue)
                {
                    return (int)_r.IntegerValue;
                }

                Error(path + ": must be a whole number or null");
                _r.Skip();
                return fallback;
            }

            private long Long(string path, long fallback)
            {
                if (_r.Token == JsonToken.Number && _r.IsInteger)
                {
                    return _r.IntegerValue;
                }

                Error(path + ": must be a whole number");
                _r.Skip();
                return fallback;
            }

            private static string[] Close(ArrayList messages, int more, string what)
            {
                if (more > 0)
                {
                    messages.Add("... and " + more.ToString() + " more " + what);
                }

                string[] result = new string[messages.Count];
                messages.CopyTo(result);
                return result;
            }

            private static string Clip(string text)
            {
                return text == null || text.Length <= MaxKeyCharsInMessage ? text : text.Substring(0, MaxKeyCharsInMessage) + "~";
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
