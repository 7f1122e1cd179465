namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// Parses the frames a controller receives (<c>welcome</c>, <c>ack</c>, <c>irrigate</c>, <c>stop</c>,
    /// <c>clear_leak</c>, <c>error</c>, <c>settings</c>) into a reused <see cref="ServerMessage"/>. A settings object is kept as its
    /// text (a slice of the frame) and read by the settings reader, which knows its keys. Malformed input is a result
    /// (<see cref="ServerMessage.IsValid"/> false, with a code and a reason), never an exception.
    /// Unknown fields are ignored, as the contract asks, so newer servers stay compatible.
    /// </summary>
    public sealed class ServerMessageParser
    {
        /// <summary>The most zones one command may name.</summary>
        public const int MaxZones = 16;

        /// <summary>The longest frame accepted, in characters.</summary>
        public const int MaxFrameChars = 8192;

        /// <summary>The largest |utc_offset| accepted, in seconds (time zones span UTC−12 to UTC+14).</summary>
        public const int MaxUtcOffsetSeconds = 14 * 3600;

        /// <summary>
        /// The largest frame the server sends a controller, in UTF-8 bytes: a <c>settings</c> frame, which the server
        /// refuses to build above this size (shorter names or fewer schedules), since a board without PSRAM holds
        /// one received frame three times (library bytes, decoded text, receive queue). Commands and errors stay
        /// under a kilobyte. The device's WebSocket refuses anything larger before allocating it
        /// (MaxReceiveFrameSize), and the device's memory budget counts it (docs/firmware-core.md).
        /// </summary>
        public const int MaxServerFrameBytes = 4096;

        private readonly JsonReader _reader = new JsonReader();
        private readonly string[] _zoneScratch = new string[MaxZones];

        private bool _hasTime;
        private bool _hasResume;
        private bool _hasSeq;
        private bool _hasDuration;
        private bool _hasLitres;
        private bool _hasVersion;
        private long _version;
        private long _utcOffset;
        private bool _zonesTooMany;
        private string _badField;
        private string _frame;

        /// <summary>Parses <paramref name="frame"/> into <paramref name="message"/>; returns <see cref="ServerMessage.IsValid"/>.</summary>
        public bool Parse(string frame, ServerMessage message)
        {
            // The frame is needed only to slice a settings object out of it; it is not kept past this call (nor by the
            // reader, which would otherwise hold the last frame until the next one).
            _frame = frame;
            try
            {
                return ParseFrame(frame, message);
            }
            finally
            {
                _frame = null;
                _reader.Reset(null);
            }
        }

        private bool ParseFrame(string frame, ServerMessage message)
        {
            message.Clear();
            _hasTime = false;
            _hasResume = false;
            _hasSeq = false;
            _hasDuration = false;
            _hasLitres = false;
            _hasVersion = false;
            _version = 0;
            _utcOffset = 0;
            _zonesTooMany = false;
            _badField = null;

            if (frame == null || frame.Length == 0)
            {
                return Reject(message, ErrorCodes.BadJson, "empty frame");
            }

            if (frame.Length > MaxFrameChars)
            {
                return Reject(message, ErrorCodes.TooLarge, "frame larger than " + MaxFrameChars.ToString() + " characters");
            }

            JsonReader r = _reader;
            r.Reset(frame);
            if (!r.Read() || r.Token != JsonToken.StartObject)
            {
                return Reject(message, ErrorCodes.BadJson, r.Token == JsonToken.Invalid ? r.Error : "envelope is not an object");
            }

            bool hasData = false;
            while (r.Read() && r.Token == JsonToken.PropertyName)
            {
                string name = r.StringValue;
                if (!r.Read())
                {
                    break;
                }

                if (name == "event")
                {
                    if (r.Token != JsonToken.String)
                    {
                        _badField = "event";
                        if (!r.Skip())
                        {
                            break;
                        }

                        continue;
                    }

                    message.Event = r.StringValue;
                }
                else if (name == "data")
                {
                    if (r.Token != JsonToken.StartObject)
                    {
                        _badField = "data";
                        if (!r.Skip())
                        {
                            break;
                        }

                        continue;
                    }

                    hasData = true;
                    if (!ReadData(message))
                    {
                        break;
                    }
                }
                else if (!r.Skip())
                {
                    break;
                }
            }

            if (r.Token == JsonToken.Invalid || (r.Token == JsonToken.EndObject && r.Read()) || r.Token != JsonToken.None)
            {
                return Reject(message, ErrorCodes.BadJson, r.Token == JsonToken.Invalid ? r.Error : "invalid envelope");
            }

            if (_badField != null)
            {
                return Reject(message, ErrorCodes.BadField, _badField + " has the wrong type");
            }

            if (message.Event == null)
            {
                return Reject(message, ErrorCodes.BadField, "event is missing");
            }

            if (!hasData)
            {
                return Reject(message, ErrorCodes.BadField, "data is missing");
            }

            return Validate(message);
        }

        private bool ReadData(ServerMessage message)
        {
            JsonReader r = _reader;
            while (r.Read() && r.Token == JsonToken.PropertyName)
            {
                string name = r.StringValue;
                if (!r.Read())
                {
                    return false;
                }

                switch (name)
                {
                    case "time":
                        _hasTime = ReadInteger(name);
                        message.TimeUnixSeconds = _hasTime ? r.IntegerValue : 0;
                        break;
                    case "resume":
                        _hasResume = ReadInteger(name);
                        message.ResumeSeq = _hasResume ? r.IntegerValue : 0;
                        break;
                    case "seq":
                        _hasSeq = ReadInteger(name);
                        message.AckSeq = _hasSeq ? r.IntegerValue : 0;
                        break;
                    case "duration":
                        _hasDuration = ReadInteger(name);
                        message.DurationSeconds = _hasDuration ? r.IntegerValue : 0;
                        break;
                    case "litres":
                        _hasLitres = ReadInteger(name);
                        message.Litres = _hasLitres ? r.IntegerValue : 0;
                        break;
                    case "id":
                        message.CommandId = ReadString(name);
                        break;
                    case "code":
                        message.ErrorCode = ReadString(name);
                        break;
                    case "message":
                        message.ErrorMessage = ReadString(name);
                        break;
                    case "utc_offset":
                        message.HasUtcOffset = ReadInteger(name);
                        _utcOffset = message.HasUtcOffset ? r.IntegerValue : 0;
                        break;
                    case "version":
                        _hasVersion = ReadInteger(name);
                        _version = _hasVersion ? r.IntegerValue : 0;
                        break;
                    case "settings":
                        if (r.Token != JsonToken.StartObject)
                        {
                            MarkBad(name);
                            break;
                        }

                        // The object's text is a slice of the frame: no second representation is built here.
                        int start = r.Position - 1;
                        if (!r.Skip())
                        {
                            return false;
                        }

                        message.SettingsText = _frame.Substring(start, r.Position - start);
                        break;
                    case "zones":
                        if (r.Token != JsonToken.StartArray)
                        {
                            MarkBad(name);
                            break;
                        }

                        if (!ReadZones(message))
                        {
                            return false;
                        }

                        break;
                }

                if (r.Token == JsonToken.Invalid || !r.Skip())
                {
                    return false;
                }
            }

            return r.Token == JsonToken.EndObject;
        }

        private bool ReadZones(ServerMessage message)
        {
            JsonReader r = _reader;
            int count = 0;
            while (r.Read())
            {
                if (r.Token == JsonToken.EndArray)
                {
                    string[] zones = new string[count];
                    for (int i = 0; i < count; i++)
                    {
                        zones[i] = _zoneScratch[i];
                        _zoneScratch[i] = null;
                    }

                    message.Zones = zones;
                    return true;
                }

                if (r.Token != JsonToken.String || r.StringValue.Length == 0)
                {
                    MarkBad("zones");
                    if (!r.Skip())
                    {
                        return false;
                    }

                    continue;
                }

                if (count == MaxZones)
                {
                    _zonesTooMany = true;
                    continue;
                }

                _zoneScratch[count++] = r.StringValue;
            }

            return false;
        }

        private bool ReadInteger(string name)
        {
            if (_reader.Token == JsonToken.Number && _reader.IsInteger)
            {
                return true;
            }

            MarkBad(name);
            return false;
        }

        private string ReadString(string name)
        {
            if (_reader.Token == JsonToken.String)
            {
                return _reader.StringValue;
            }

            MarkBad(name);
            return null;
        }

        private void MarkBad(string name)
        {
            if (_badField == null)
            {
                _badField = "data." + name;
            }
        }

        private bool Validate(ServerMessage message)
        {
            switch (message.Event)
            {
                case EventNames.Welcome:
                    if (!_hasTime || message.TimeUnixSeconds <= 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "welcome needs data.time > 0");
                    }

                    if (message.ResumeSeq < 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "data.resume must be >= 0");
                    }

                    if (!CheckUtcOffset(message))
                    {
                        return false;
                    }

                    break;
                case EventNames.Settings:
                    if (!_hasVersion || _version < 1 || _version > int.MaxValue)
                    {
                        return Reject(message, ErrorCodes.BadField, "settings needs data.version 1 to " + int.MaxValue.ToString());
                    }

                    if (message.SettingsText == null)
                    {
                        return Reject(message, ErrorCodes.BadField, "settings needs a data.settings object");
                    }

                    if (!CheckUtcOffset(message))
                    {
                        return false;
                    }

                    message.SettingsVersion = (int)_version;
                    break;
                case EventNames.Ack:
                    if (!_hasSeq || message.AckSeq < 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "ack needs data.seq >= 0");
                    }

                    break;
                case EventNames.Irrigate:
                    if (!CheckCommand(message))
                    {
                        return false;
                    }

                    if (message.Zones.Length == 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "irrigate needs at least one zone");
                    }

                    // A duration, a volume, or both: each one given must be positive.
                    if ((!_hasDuration && !_hasLitres) || (_hasDuration && message.DurationSeconds <= 0))
                    {
                        return Reject(message, ErrorCodes.BadField, "irrigate needs data.duration > 0, data.litres > 0 or both");
                    }

                    if (_hasLitres && message.Litres <= 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "data.litres must be > 0 (tenths of a litre)");
                    }

                    break;
                case EventNames.ClearLeak:
                    if (message.CommandId == null || message.CommandId.Length == 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "clear_leak needs data.id");
                    }

                    break;
                case EventNames.Stop:
                    if (!CheckCommand(message))
                    {
                        return false;
                    }

                    break;
                case EventNames.Error:
                    if (message.ErrorCode == null)
                    {
                        return Reject(message, ErrorCodes.BadField, "error needs data.code");
                    }

                    break;
                default:
                    return Reject(message, ErrorCodes.UnknownEvent, "unknown event");
            }

            message.IsValid = true;
            return true;
        }

        private bool CheckUtcOffset(ServerMessage message)
        {
            if (_utcOffset < -MaxUtcOffsetSeconds || _utcOffset > MaxUtcOffsetSeconds)
            {
                return Reject(message, ErrorCodes.BadField, "data.utc_offset must be -" + MaxUtcOffsetSeconds.ToString() + " to " + MaxUtcOffsetSeconds.ToString() + " seconds");
            }

            message.UtcOffsetSeconds = (int)_utcOffset;
            return true;
        }

        private bool CheckCommand(ServerMessage message)
        {
            if (message.CommandId == null || message.CommandId.Length == 0)
            {
                return Reject(message, ErrorCodes.BadField, message.Event + " needs data.id");
            }

            if (message.Zones == null)
            {
                return Reject(message, ErrorCodes.BadField, message.Event + " needs data.zones");
            }

            if (_zonesTooMany)
            {
                return Reject(message, ErrorCodes.BadField, "more than " + MaxZones.ToString() + " zones");
            }

            return true;
        }

        private static bool Reject(ServerMessage message, string code, string reason)
        {
            message.IsValid = false;
            message.RejectCode = code;
            message.RejectReason = reason;
            return false;
        }
    }
}
