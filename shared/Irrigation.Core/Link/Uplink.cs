using Irrigation.Core.Config;
using Irrigation.Core.Device;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Core.Settings;

namespace Irrigation.Core.Link
{
    /// <summary>
    /// The server link component: drives the <see cref="LinkSupervisor"/> (hello on open), handles received
    /// frames (welcome sets the clock, the time zone offset and resumes, ack, irrigate/stop handed to the rules,
    /// settings handed to the settings component, error), records the periodic status and sends buffered events
    /// within the send window, encoding each only when it is sent.
    /// </summary>
    internal sealed class Uplink
    {
        /// <summary>Frames handled per tick at most, so a burst cannot stall the tick.</summary>
        internal const int MaxFramesPerTick = 8;
        /// <summary>Longest command id echoed; longer ids are ignored.</summary>
        internal const int MaxCommandIdChars = 64;

        // What ReceiveFrame found.
        private const int NoFrame = 0;
        private const int BadFrame = 1;
        private const int ParsedFrame = 2;

        private readonly ControllerContext _context;
        private readonly ILinkTransport _transport;
        private readonly IDeviceInfo _deviceInfo;
        private readonly ZoneValves _valves;
        private readonly SensorSampler _sensors;
        private readonly IrrigationRules _rules;
        private readonly SettingsApplier _settings;
        private readonly LinkSupervisor _link;
        private readonly EventBuffer _buffer;
        private readonly JsonWriter _writer = new JsonWriter(1536);
        private readonly ServerMessageParser _parser = new ServerMessageParser();
        private readonly ServerMessage _message = new ServerMessage();
        private long _nextStatusMs;
        private long _ackedSeq;

        /// <summary>A link to the config's server URL over <paramref name="transport"/>, reconnecting with jittered backoff.</summary>
        public Uplink(ControllerContext context, ILinkTransport transport, IDeviceInfo deviceInfo, ZoneValves valves, SensorSampler sensors, IrrigationRules rules, SettingsApplier settings, int randomSeed)
        {
            ControllerConfig config = context.Config;
            _context = context;
            _transport = transport;
            _deviceInfo = deviceInfo;
            _valves = valves;
            _sensors = sensors;
            _rules = rules;
            _settings = settings;
            _buffer = context.Buffer;
            _link = new LinkSupervisor(transport, config.ServerUrl, new Backoff(1000, (long)config.BackoffCapSeconds * 1000, randomSeed), (long)config.WatchdogSeconds * 1000, (long)config.StableConnectionSeconds * 1000, context.Log);
        }

        /// <summary>The link's phase.</summary>
        public LinkPhase Phase
        {
            get { return _link.Phase; }
        }

        /// <summary>Connection attempts this boot.</summary>
        public int Attempts
        {
            get { return _link.Attempts; }
        }

        /// <summary>The last reconnect delay chosen, in ms.</summary>
        public long LastDelayMs
        {
            get { return _link.LastDelayMs; }
        }

        /// <summary>The highest seq the server acknowledged this boot.</summary>
        public long AckedSeq
        {
            get { return _ackedSeq; }
        }

        /// <summary>Boot at <paramref name="uptimeMs"/>: the first status goes out one status_interval later.</summary>
        public void Start(long uptimeMs)
        {
            _nextStatusMs = uptimeMs + (long)_context.Config.StatusIntervalSeconds * 1000;
        }

        /// <summary>New settings run: the link's timings follow them (the next status keeps its time).</summary>
        public void SettingsApplied()
        {
            ControllerConfig config = _context.Config;
            _link.SetTimings((long)config.WatchdogSeconds * 1000, (long)config.StableConnectionSeconds * 1000, (long)config.BackoffCapSeconds * 1000);
        }

        /// <summary>Connects, reconnects or watches the link, then handles up to <see cref="MaxFramesPerTick"/> received frames.</summary>
        public void StepLink()
        {
            long now = _context.NowMs;
            LinkTransition t = _link.Tick(now);
            if (t == LinkTransition.Opened)
            {
                _buffer.ResetSent();
                ControllerConfig config = _context.Config;
                string hello = ControllerFrames.Hello(_writer, config.DeviceId, config.Token, config.FirmwareVersion, config.BootId, _context.ZoneNames, HelloSensors(), _settings.AppliedVersion);
                if (hello == null || !_transport.Send(hello))
                {
                    _link.Fail(now, "hello not sent");
                    return;
                }
            }
            else if (t == LinkTransition.Closed)
            {
                _buffer.ResetSent();
            }

            for (int i = 0; i < MaxFramesPerTick; i++)
            {
                if (_link.Phase != LinkPhase.Handshake && _link.Phase != LinkPhase.Ready)
                {
                    return;
                }

                int received = ReceiveFrame();
                if (received == NoFrame)
                {
                    return;
                }

                _link.OnFrameReceived(now);
                if (received == ParsedFrame)
                {
                    HandleMessage(_message);
                }
            }
        }

        /// <summary>Records a status event every status_interval.</summary>
        public void StepStatus()
        {
            long now = _context.NowMs;
            if (now < _nextStatusMs)
            {
                return;
            }

            _nextStatusMs = now + (long)_context.Config.StatusIntervalSeconds * 1000;
            long dropped = _buffer.DroppedCount;
            _context.Record(EventKind.Status, _deviceInfo.FreeHeapBytes, _deviceInfo.Rssi, _valves.OpenMask, _buffer.Count, dropped > int.MaxValue ? int.MaxValue : (int)dropped, null);
        }

        /// <summary>Sends buffered events while the link is ready and fewer than send_window are in flight.</summary>
        public void StepSend()
        {
            if (_link.Phase != LinkPhase.Ready)
            {
                return;
            }

            // The window bounds frames in flight, so a long replay after a reconnect trickles out as acks
            // come back instead of flooding the socket's unbounded send queue.
            while (_buffer.SentCount < _context.Config.SendWindow && _buffer.SentCount < _buffer.Count)
            {
                string frame = Encode(_buffer.SentCount);
                if (frame == null)
                {
                    _context.Log.Error("link", "event too large to encode, skipped", "seq", _buffer.SeqAt(_buffer.SentCount));
                    _buffer.MarkSent();
                    continue;
                }

                if (!_transport.Send(frame))
                {
                    _link.Fail(_context.NowMs, "send failed");
                    _buffer.ResetSent();
                    return;
                }

                _buffer.MarkSent();
            }
        }

        // The next frame from the transport parsed into _message. The frame's text lives only in this call: what a
        // handler needs of it is in the message (a settings object as its own slice), so applying settings does not
        // keep the whole frame alive as well (docs/firmware-core.md, memory budget).
        private int ReceiveFrame()
        {
            string frame = _transport.Receive();
            if (frame == null)
            {
                return NoFrame;
            }

            ServerMessage m = _message;
            if (!_parser.Parse(frame, m))
            {
                _context.Log.Write(LogLevel.Warning, "link", "bad frame from server: " + m.RejectReason, "code", m.RejectCode);
                return BadFrame;
            }

            return ParsedFrame;
        }

        private void HandleMessage(ServerMessage m)
        {
            switch (m.Event)
            {
                case EventNames.Welcome:
                    OnWelcome(m);
                    break;
                case EventNames.Ack:
                    if (m.AckSeq > _ackedSeq)
                    {
                        _ackedSeq = m.AckSeq;
                    }

                    _buffer.AckThrough(m.AckSeq);
                    break;
                case EventNames.Irrigate:
                case EventNames.Stop:
                    if (m.CommandId.Length > MaxCommandIdChars)
                    {
                        _context.Log.Warn("command", "id too long, ignored", "length", m.CommandId.Length);
                        return;
                    }

                    if (m.Event == EventNames.Irrigate)
                    {
                        _rules.Irrigate(m);
                    }
                    else
                    {
                        _rules.Stop(m);
                    }

                    break;
                case EventNames.Settings:
                    _settings.Receive(m);
                    // Up to 8 KiB of text: not kept alive until the next frame reuses the message.
                    m.SettingsText = null;
                    break;
                case EventNames.Error:
                    // The server acks a rejected frame too (never resent); this is only worth a line.
                    _context.Log.Write(LogLevel.Warning, "link", "server rejected a frame: " + (m.ErrorMessage == null ? string.Empty : m.ErrorMessage), "code", m.ErrorCode);
                    break;
            }
        }

        private void OnWelcome(ServerMessage m)
        {
            // Unix time = welcome.time + uptime elapsed since; also re-syncs on every reconnect. The offset comes
            // first, so the schedules' first trusted moment is already in local time.
            if (m.HasUtcOffset && _context.SetUtcOffset(m.UtcOffsetSeconds))
            {
                _context.Log.Info("link", "utc offset", "seconds", m.UtcOffsetSeconds);
            }

            if (_context.SetClock(m.TimeUnixSeconds))
            {
                _context.Log.Info("link", "clock set", "time", m.TimeUnixSeconds);
            }

            if (_link.Phase != LinkPhase.Handshake)
            {
                return;
            }

            if (m.ResumeSeq > _context.Seq)
            {
                // The server stored more of this boot than we ever sent: a reused boot id. Continue above it
                // so new events are not taken for duplicates.
                _context.Log.Warn("link", "resume above our last seq", "resume", m.ResumeSeq, "seq", _context.Seq);
                _context.ContinueAbove(m.ResumeSeq);
            }

            if (m.ResumeSeq > _ackedSeq)
            {
                _ackedSeq = m.ResumeSeq;
            }

            _buffer.AckThrough(m.ResumeSeq);
            _buffer.ResetSent();
            _link.OnWelcome(_context.NowMs);
        }

        private string Encode(int i)
        {
            EventBuffer b = _buffer;
            long seq = b.SeqAt(i);
            long time = _context.UnixOffset + b.UptimeSecondsAt(i);
            int a = b.ValueAt(i, 0);
            // Zone events are named with the zones as they were when the event happened (settings may rename them).
            // REVIEW: status keeps no generation (all five fields are taken) and uses today's names.
            string[] zoneNames = _context.ZoneNamesAt(b.ValueAt(i, 3));
            string[] currentNames = _context.ZoneNames;
            switch (b.KindAt(i))
            {
                case EventKind.Temperature:
                    return ControllerFrames.Temperature(_writer, seq, time, a);
                case EventKind.Humidity:
                    return ControllerFrames.Humidity(_writer, seq, time, a);
                case EventKind.SoilMoisture:
                    int zone = b.ValueAt(i, 2);
                    return ControllerFrames.SoilMoisture(_writer, seq, time, a, b.ValueAt(i, 1), zone >= 0 && zone < zoneNames.Length ? zoneNames[zone] : null);
                case EventKind.IrrigationStarted:
                    return ControllerFrames.IrrigationStarted(_writer, seq, time, zoneNames, a, ZoneValves.ReasonToWire((IrrigationReason)b.ValueAt(i, 1)), b.ValueAt(i, 2));
                case EventKind.IrrigationStopped:
                    return ControllerFrames.IrrigationStopped(_writer, seq, time, zoneNames, a, ZoneValves.ReasonToWire((IrrigationReason)b.ValueAt(i, 1)));
                case EventKind.SensorDisconnected:
                    return ControllerFrames.SensorDisconnected(_writer, seq, time, _sensors.Name(a));
                case EventKind.SensorReconnected:
                    return ControllerFrames.SensorReconnected(_writer, seq, time, _sensors.Name(a));
                case EventKind.Status:
                    return ControllerFrames.Status(_writer, seq, time, b.UptimeSecondsAt(i), a, b.ValueAt(i, 1), currentNames, b.ValueAt(i, 2), b.ValueAt(i, 3), b.ValueAt(i, 4));
                case EventKind.CommandResult:
                    return ControllerFrames.CommandResult(_writer, seq, time, b.TextAt(i), a == 1, IrrigationRules.CommandError(b.ValueAt(i, 1), b.ValueAt(i, 2)));
                case EventKind.SettingsApplied:
                    return ControllerFrames.SettingsApplied(_writer, seq, time, a);
                case EventKind.SettingsRejected:
                    return ControllerFrames.SettingsRejected(_writer, seq, time, a, _settings.ErrorsOf(a));
                case EventKind.IrrigationSkipped:
                    return ControllerFrames.IrrigationSkipped(_writer, seq, time, zoneNames, a, IrrigationRules.SkipToWire((SkipReason)b.ValueAt(i, 1)));
                default:
                    return ControllerFrames.Log(_writer, seq, time, LevelName((LogLevel)a), b.TextAt(i));
            }
        }

        private string[] HelloSensors()
        {
            return _sensors.ProbeCount > 0
                ? new string[] { EventNames.Temperature, EventNames.Humidity, EventNames.SoilMoisture }
                : new string[] { EventNames.Temperature, EventNames.Humidity };
        }

        private static string LevelName(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Debug: return "D";
                case LogLevel.Info: return "I";
                case LogLevel.Warning: return "W";
                default: return "E";
            }
        }
    }
}
