namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// Parses the frames a controller receives (<c>welcome</c>, <c>ack</c>, <c>irrigate</c>, <c>stop</c>,
    /// <c>error</c>) into a reused <see cref="ServerMessage"/>. Malformed input is a result
    /// (<see cref="ServerMessage.IsValid"/> false, with a code and a reason), never an exception.
    /// Unknown fields are ignored, as the contract asks, so newer servers stay compatible.
    /// </summary>
    public sealed class ServerMessageParser
    {
        /// <summary>The most zones one command may name.</summary>
        public const int MaxZones = 16;

        /// <summary>The longest frame accepted, in characters.</summary>
        public const int MaxFrameChars = 8192;

        /// <summary>
        /// The largest frame the server sends a controller, in UTF-8 bytes. The biggest today is an irrigate or stop
        /// naming <see cref="MaxZones"/> zones of 32 characters with a 64-character id (about 700 bytes); error
        /// frames carry messages under 200 characters. The device's WebSocket refuses anything larger before
        /// allocating it (MaxReceiveFrameSize), so a new server-to-controller frame that can be longer must raise
        /// this bound, and the device's memory budget with it (docs/firmware-core.md).
        /// </summary>
        public const int MaxServerFrameBytes = 2048;

        private readonly JsonReader _reader = new JsonReader();
        private readonly string[] _zoneScratch = new string[MaxZones];

        private bool _hasTime;
        private bool _hasResume;
        private bool _hasSeq;
        private bool _hasDuration;
        private bool _zonesTooMany;
        private string _badField;

        /// <summary>Parses <paramref name="frame"/> into <paramref name="message"/>; returns <see cref="ServerMessage.IsValid"/>.</summary>
        public bool Parse(string frame, ServerMessage message)
        {
            message.Clear();
            _hasTime = false;
            _hasResume = false;
            _hasSeq = false;
            _hasDuration = false;
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
                    case "id":
                        message.CommandId = ReadString(name);
                        break;
                    case "code":
                        message.ErrorCode = ReadString(name);
                        break;
                    case "message":
                        message.ErrorMessage = ReadString(name);
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

                    if (!_hasDuration || message.DurationSeconds <= 0)
                    {
                        return Reject(message, ErrorCodes.BadField, "irrigate needs data.duration > 0");
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
