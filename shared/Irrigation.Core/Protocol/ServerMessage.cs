namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// One frame the server sent to a controller, as parsed by <see cref="ServerMessageParser"/>.
    /// Fields that the event does not carry keep their defaults. One instance is reused per frame.
    /// </summary>
    public sealed class ServerMessage
    {
        /// <summary>True when the frame is a well-formed message of a known event.</summary>
        public bool IsValid { get; internal set; }

        /// <summary>When invalid: the contract's error code (<see cref="ErrorCodes"/>).</summary>
        public string RejectCode { get; internal set; }

        /// <summary>When invalid: a short human-readable reason.</summary>
        public string RejectReason { get; internal set; }

        /// <summary>The event name (<see cref="EventNames"/>); may be set on an invalid frame too.</summary>
        public string Event { get; internal set; }

        /// <summary>welcome: the server's time, Unix seconds UTC.</summary>
        public long TimeUnixSeconds { get; internal set; }

        /// <summary>welcome: the highest seq of this boot already stored (0 if none).</summary>
        public long ResumeSeq { get; internal set; }

        /// <summary>ack: every event with a seq up to this one is handled.</summary>
        public long AckSeq { get; internal set; }

        /// <summary>irrigate/stop/clear_leak: the command id to echo in command_result.</summary>
        public string CommandId { get; internal set; }

        /// <summary>irrigate/stop: the zones named (stop: empty means all).</summary>
        public string[] Zones { get; internal set; }

        /// <summary>irrigate: how long to open, in seconds; 0 when the command gives only <see cref="Litres"/>.</summary>
        public long DurationSeconds { get; internal set; }

        /// <summary>irrigate: the volume to give each zone, in tenths of a litre; 0 when the command gives only a duration.</summary>
        public long Litres { get; internal set; }

        /// <summary>error: the code the server rejected one of our frames with.</summary>
        public string ErrorCode { get; internal set; }

        /// <summary>error: the server's message.</summary>
        public string ErrorMessage { get; internal set; }

        /// <summary>welcome/settings: true when the frame carried <c>utc_offset</c>.</summary>
        public bool HasUtcOffset { get; internal set; }

        /// <summary>welcome/settings: the device's time zone offset now, seconds east of UTC (DST included).</summary>
        public int UtcOffsetSeconds { get; internal set; }

        /// <summary>settings: the version of these settings (1, 2, 3… per device on the server).</summary>
        public int SettingsVersion { get; internal set; }

        /// <summary>settings: the settings object's JSON text exactly as received (read with <c>ControllerConfigReader.ReadSettings</c>).</summary>
        public string SettingsText { get; internal set; }

        internal void Clear()
        {
            IsValid = false;
            RejectCode = null;
            RejectReason = null;
            Event = null;
            TimeUnixSeconds = 0;
            ResumeSeq = 0;
            AckSeq = 0;
            CommandId = null;
            Zones = null;
            DurationSeconds = 0;
            Litres = 0;
            ErrorCode = null;
            ErrorMessage = null;
            HasUtcOffset = false;
            UtcOffsetSeconds = 0;
            SettingsVersion = 0;
            SettingsText = null;
        }
    }
}
