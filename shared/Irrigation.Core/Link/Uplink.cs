using Irrigation.Core.Config;
using Irrigation.Core.Device;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Core.Settings;
using Irrigation.Core.Water;

namespace Irrigation.Core.Link
{
    /// <summary>
    /// The server link component: drives the <see cref="LinkSupervisor"/> (hello on open), handles received
    /// frames (welcome sets the clock, the time zone offset and resumes, ack, irrigate/stop/clear_leak handed to the
    /// rules, settings handed to the settings component, error), records the periodic status and sends buffered
    /// events within the send window, encoding each only when it is sent.
    /// A boot that finds water volumes of an earlier boot still unacknowledged in the water ledger (the board rebooted
    /// before the server had them) first connects once as that earlier boot: hello with its boot id, welcome's resume
    /// says which of them the server stored, the others are sent with their own seq, and once all are acknowledged
    /// the connection closes and the current boot connects. The server stores them exactly once, as it stores any
    /// reconnect's replay; nothing else is sent on that connection (commands received meanwhile are carried out and
    /// answered on the current boot's connection).
    /// </summary>
    internal sealed class Uplink
    {
        /// <summary>Frames handled per tick at most, so a burst cannot stall the tick.</summary>
        internal const int MaxFramesPerTick = 8;
        /// <summary>Longest command id echoed; longer ids are ignored.</summary>
        internal const int MaxCommandIdChars = 64;
        /// <summary>
        /// Connections as an earlier boot that may break off in a row before this boot stops trying (its own events
        /// must not wait for ever behind a delivery the server keeps refusing); the volumes wait in flash meanwhile.
        /// </summary>
        internal const int MaxReplayFailures = 5;

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
        private readonly WaterMeter _water;
        private readonly WaterLedger _ledger;
        private readonly LinkSupervisor _link;
        private readonly EventBuffer _buffer;
        private readonly JsonWriter _writer;
        private readonly ServerMessageParser _parser = new ServerMessageParser();
        private readonly ServerMessage _message = new ServerMessage();
        private long _nextStatusMs;
        private long _ackedSeq;
        // The earlier boot this connection replays water volumes of (0: the current boot's own connection), the
        // highest seq of it the server has, and the highest sent on this connection.
        private long _replayBoot;
        private long _replayStored;
        private long _replaySent;
        private int _replayFailures;

        /// <summary>A link to the config's server URL over <paramref name="transport"/>, reconnecting with jittered backoff.</summary>
        public Uplink(ControllerContext context, ILinkTransport transport, IDeviceInfo deviceInfo, ZoneValves valves, SensorSampler sensors, IrrigationRules rules, SettingsApplier settings, WaterMeter water, WaterLedger ledger, JsonWriter writer, int randomSeed)
        {
            ControllerConfig config = context.Config;
            _context = context;
            _transport = transport;
            _deviceInfo = deviceInfo;
            _valves = valves;
            _sensors = sensors;
            _rules = rules;
            _settings = settings;
            _water = water;
            _ledger = ledger;
            _writer = writer;
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
                // A delivery still set here broke off before it was done.
                if (_replayBoot != 0 && ++_replayFailures == MaxReplayFailures)
                {
                    _context.Log.Error("link", "earlier boot's water volumes not delivered, kept for the next boot", "boot", _replayBoot);
                }

                _replayBoot = _replayFailures < MaxReplayFailures ? _ledger.OldestOtherBoot(config.BootId) : 0;
                _replayStored = 0;
                _replaySent = 0;
                if (_replayBoot != 0)
                {
                    _context.Log.Info("link", "delivering water volumes of an earlier boot first", "boot", _replayBoot);
                }

                string hello = ControllerFrames.Hello(_writer, config.DeviceId, config.Token, config.FirmwareVersion, _replayBoot != 0 ? _replayBoot : config.BootId, _context.ZoneNames, HelloSensors(), _settings.AppliedVersion);
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

            if (_replayBoot != 0)
            {
                StepReplay();
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
                    Acked(m.AckSeq);
                    break;
                case EventNames.Irrigate:
                case EventNames.Stop:
                case EventNames.ClearLeak:
                    if (m.CommandId.Length > MaxCommandIdChars)
                    {
                        _context.Log.Warn("command", "id too long, ignored", "length", m.CommandId.Length);
                        return;
                    }

                    if (m.Event == EventNames.Irrigate)
                    {
                        _rules.Irrigate(m);
                    }
                    else if (m.Event == EventNames.Stop)
                    {
                        _rules.Stop(m);
                    }
                    else
                    {
                        _rules.ClearLeak(m);
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
                _water.ClockSet();
            }

            if (_link.Phase != LinkPhase.Handshake)
            {
                return;
            }

            if (_replayBoot != 0)
            {
                Acked(m.ResumeSeq);
                _link.OnWelcome(_context.NowMs);
                return;
            }

            if (m.ResumeSeq > _context.Seq)
            {
                // The server stored more of this boot than we ever sent: a reused boot id. Continue above it
                // so new events are not taken for duplicates.
                _context.Log.Warn("link", "resume above our last seq", "resume", m.ResumeSeq, "seq", _context.Seq);
                _context.ContinueAbove(m.ResumeSeq);
            }

            Acked(m.ResumeSeq);
            _buffer.ResetSent();
            _link.OnWelcome(_context.NowMs);
        }

        // The server has every event through seq (of the boot this connection speaks for).
        private void Acked(long seq)
        {
            if (_replayBoot != 0)
            {
                _replayStored = seq > _replayStored ? seq : _replayStored;
                _ledger.Stored(_replayBoot, seq);
                return;
            }

            if (seq > _ackedSeq)
            {
                _ackedSeq = seq;
            }

            _buffer.AckThrough(seq);
            _water.Acked(seq);
        }

        // The earlier boot's water events the server does not have yet go out within the send window; once all are
        // acknowledged, the connection has done its work and the current boot connects.
        private void StepReplay()
        {
            if (_ledger.NextPending(_replayBoot, _replayStored) < 0)
            {
                _context.Log.Info("link", "water volumes of the earlier boot delivered", "boot", _replayBoot);
                _ledger.SaveIfChanged();
                _replayBoot = 0;
                _replayFailures = 0;
                _buffer.ResetSent();
                _link.Reconnect(_context.NowMs);
                return;
            }

            int inFlight = 0;
            for (int i = _ledger.NextPending(_replayBoot, _replayStored); i >= 0 && _ledger.PendingSeq(i) <= _replaySent; i = _ledger.NextPending(_replayBoot, _ledger.PendingSeq(i)))
            {
                inFlight++;
            }

            while (inFlight < _context.Config.SendWindow)
            {
                int i = _ledger.NextPending(_replayBoot, _replaySent > _replayStored ? _replaySent : _replayStored);
                if (i < 0)
                {
                    return;
                }

                long time = _ledger.PendingTime(i) >= 0 ? _ledger.PendingTime(i) : _context.NowUnixSeconds;
                string frame = ControllerFrames.IrrigationStopped(_writer, _ledger.PendingSeq(i), time, new string[] { _ledger.PendingZone(i) }, 1, ZoneValves.ReasonToWire((IrrigationReason)_ledger.PendingReason(i)), _ledger.PendingLitres(i));
                if (frame == null || !_transport.Send(frame))
                {
                    _link.Fail(_context.NowMs, frame == null ? "water event too large" : "send failed");
                    return;
                }

                _replaySent = _ledger.PendingSeq(i);
                inFlight++;
            }
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
                    return ControllerFrames.SoilMoisture(_writer, seq, time, a, b.ValueAt(i, 1), ZoneName(zoneNames, b.ValueAt(i, 2)));
                case EventKind.IrrigationStarted:
                    return ControllerFrames.IrrigationStarted(_writer, seq, time, zoneNames, a, ZoneValves.ReasonToWire((IrrigationReason)b.ValueAt(i, 1)), b.ValueAt(i, 2));
                case EventKind.IrrigationStopped:
                    return ControllerFrames.IrrigationStopped(_writer, seq, time, zoneNames, a, ZoneValves.ReasonToWire((IrrigationReason)b.ValueAt(i, 1)), b.ValueAt(i, 2));
                case EventKind.SensorDisconnected:
                    return ControllerFrames.SensorDisconnected(_writer, seq, time, SensorName(a));
                case EventKind.SensorReconnected:
                    return ControllerFrames.SensorReconnected(_writer, seq, time, SensorName(a));
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
                case EventKind.Flow:
                    return ControllerFrames.Flow(_writer, seq, time, ZoneName(zoneNames, b.ValueAt(i, 1)), a);
                case EventKind.FlowAlert:
                    return ControllerFrames.FlowAlert(_writer, seq, time, ZoneName(zoneNames, b.ValueAt(i, 1)), WaterMeter.AlarmToWire((FlowAlarm)a), b.ValueAt(i, 2), b.ValueAt(i, 4));
                default:
                    return ControllerFrames.Log(_writer, seq, time, LevelName((LogLevel)a), b.TextAt(i));
            }
        }

        private string[] HelloSensors()
        {
            int count = 2 + (_sensors.ProbeCount > 0 ? 1 : 0) + (_water.IsMetering ? 1 : 0);
            string[] sensors = new string[count];
            sensors[0] = ReadingSpecs.Temperature.Name;
            sensors[1] = ReadingSpecs.Humidity.Name;
            if (_sensors.ProbeCount > 0)
            {
                sensors[2] = ReadingSpecs.SoilMoisture.Name;
            }

            if (_water.IsMetering)
            {
                sensors[count - 1] = ReadingSpecs.Flow.Name;
            }

            return sensors;
        }

        private string SensorName(int sensor)
        {
            return sensor == WaterMeter.FlowSensor ? ReadingSpecs.Flow.Name : _sensors.Name(sensor);
        }

        private static string ZoneName(string[] zoneNames, int zone)
        {
            return zone >= 0 && zone < zoneNames.Length ? zoneNames[zone] : null;
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
