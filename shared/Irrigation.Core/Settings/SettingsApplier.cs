using System;
using System.Collections;
using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;

namespace Irrigation.Core.Settings
{
    /// <summary>
    /// The settings component: owns the board's file (what absent keys keep), the flash store and the version that
    /// runs. A <c>settings</c> frame is read with the same rules as the file, checked against the hardware,
    /// stored, and only then run, without a reboot; the answer is settings_applied or settings_rejected with
    /// every error. A rejected frame changes nothing (the time zone offset aside: it is the clock, not a
    /// setting). The version that already runs is acknowledged again and not applied twice.
    /// Without a store (the simulator) settings run from RAM and the board starts from its file at the next boot.
    /// </summary>
    internal sealed class SettingsApplier
    {
        /// <summary>Messages of the last rejection kept for its settings_rejected (the last one may count the rest).</summary>
        public const int MaxKeptErrors = 5;

        /// <summary>Characters of each kept message at most (longer ones end in '~').</summary>
        public const int MaxKeptErrorChars = 120;

        private readonly ControllerContext _context;
        private readonly ControllerConfig _board;
        private readonly SettingsStore _store;
        private readonly int _valveCount;
        private readonly int _probeCount;
        private readonly MemoryCaps _caps;
        private readonly bool _hasFlowMeter;
        private readonly SettingsChange _applied;
        private int _appliedVersion;
        private int _rejectedVersion;
        private string[] _rejectedErrors;

        /// <summary>Runs <paramref name="appliedVersion"/> (the context holds its config); see <see cref="LoadAtBoot"/>.</summary>
        public SettingsApplier(ControllerContext context, ControllerConfig board, SettingsStore store, int appliedVersion, int valveCount, int probeCount, MemoryCaps caps, bool hasFlowMeter, SettingsChange applied)
        {
            _context = context;
            _board = board;
            _store = store;
            _appliedVersion = appliedVersion;
            _valveCount = valveCount;
            _probeCount = probeCount;
            _caps = caps;
            _hasFlowMeter = hasFlowMeter;
            _applied = applied;
        }

        /// <summary>The server's version of the settings running now; 0 = only the board's file.</summary>
        public int AppliedVersion
        {
            get { return _appliedVersion; }
        }

        /// <summary>
        /// Boot: the board's file with the newest intact stored settings over it, or the file alone (version 0)
        /// when there are none or they no longer pass (a firmware with other rules, fewer relays, less memory). Logs why.
        /// </summary>
        public static ControllerConfig LoadAtBoot(ControllerConfig board, SettingsStore store, int valveCount, int probeCount, MemoryCaps caps, bool hasFlowMeter, Logger log, out int version)
        {
            version = 0;
            if (store == null)
            {
                return board;
            }

            StoredSettings stored = store.Load();
            if (store.Problems != null)
            {
                log.Warn("settings", store.Problems);
            }

            if (stored == null)
            {
                log.Info("settings", "none stored, running the board's file");
                return board;
            }

            ConfigReadResult read = ControllerConfigReader.ReadSettings(stored.Text, board, false);
            string[] errors = read.IsValid ? HardwareErrors(read.Config, valveCount, probeCount, caps, hasFlowMeter) : read.Errors;
            if (errors.Length > 0)
            {
                log.Error("settings", "stored version " + stored.Version.ToString() + " cannot run, running the board's file: " + errors[0]);
                return board;
            }

            version = stored.Version;
            log.Info("settings", "running stored settings", "version", version);
            return read.Config;
        }

        /// <summary>
        /// What the config asks of the hardware that the board does not have, one message per part: more zones than
        /// valves, more soil entries than inputs, more than <paramref name="caps"/> allows (null: the config's limits),
        /// and a flow meter the board lacks.
        /// </summary>
        public static string[] HardwareErrors(ControllerConfig config, int valveCount, int probeCount, MemoryCaps caps, bool hasFlowMeter)
        {
            ArrayList errors = new ArrayList();
            int zones = config.Zones.Length;
            int probes = config.SoilProbes.Length;
            if (zones > valveCount)
            {
                errors.Add("zones: this controller has " + valveCount.ToString() + " valves (the settings name " + zones.ToString() + " zones)");
            }

            if (probes > probeCount)
            {
                errors.Add("soil: this controller has " + probeCount.ToString() + " soil inputs (the settings calibrate " + probes.ToString() + " probes)");
            }

            if (caps != null && config.BufferCapacity > caps.MaxBufferCapacity)
            {
                errors.Add("buffer_capacity: this controller's memory holds at most " + caps.MaxBufferCapacity.ToString() + " events (the settings ask for " + config.BufferCapacity.ToString() + ")");
            }

            if (caps != null && config.SendWindow > caps.MaxSendWindow)
            {
                errors.Add("send_window: this controller's memory allows at most " + caps.MaxSendWindow.ToString() + " (the settings ask for " + config.SendWindow.ToString() + ")");
            }

            int schedules = config.Schedules == null ? 0 : config.Schedules.Length;
            if (caps != null && schedules > caps.MaxSchedules)
            {
                errors.Add("schedules: this controller's memory runs at most " + caps.MaxSchedules.ToString() + " (the settings have " + schedules.ToString() + ")");
            }

            if (config.HasFlowMeter && !hasFlowMeter)
            {
                errors.Add("pulses_per_litre: this controller has no flow meter input (set 0)");
            }

            return ControllerConfig.ToArray(errors);
        }

        /// <summary>The errors recorded for a rejected version (the newest rejection only: older ones were replaced).</summary>
        public string[] ErrorsOf(int version)
        {
            if (version == _rejectedVersion && _rejectedErrors != null)
            {
                return _rejectedErrors;
            }

            return new string[] { "the details were replaced by a later rejection" };
        }

        /// <summary>Handles one valid <c>settings</c> frame.</summary>
        public void Receive(ServerMessage m)
        {
            if (m.HasUtcOffset && _context.SetUtcOffset(m.UtcOffsetSeconds))
            {
                _context.Log.Info("settings", "utc offset", "seconds", m.UtcOffsetSeconds);
            }

            int version = m.SettingsVersion;
            if (version == _appliedVersion)
            {
                // A re-delivery (a lost answer, a DST offset update): acknowledged again, not applied twice.
                _context.Record(EventKind.SettingsApplied, version, 0, 0, 0, 0, null);
                return;
            }

            ConfigReadResult read = ControllerConfigReader.ReadSettings(m.SettingsText, _board, false);
            for (int i = 0; i < read.Warnings.Length; i++)
            {
                _context.Log.Warn("settings", read.Warnings[i]);
            }

            string[] errors = read.IsValid ? HardwareErrors(read.Config, _valveCount, _probeCount, _caps, _hasFlowMeter) : read.Errors;
            if (errors.Length > 0)
            {
                Reject(version, errors);
                return;
            }

            string unsaved = _store == null ? null : _store.Save(version, m.SettingsText);
            if (unsaved != null)
            {
                Reject(version, new string[] { "storage: " + unsaved });
                return;
            }

            _appliedVersion = version;
            _applied(read.Config);
            _context.Record(EventKind.SettingsApplied, version, 0, 0, 0, 0, null);
            _context.Log.Info("settings", "applied", "version", version);
        }

        private void Reject(int version, string[] errors)
        {
            _rejectedVersion = version;
            _rejectedErrors = Kept(errors);
            _context.Record(EventKind.SettingsRejected, version, 0, 0, 0, 0, null);
            _context.Log.Warn("settings", "rejected: " + errors[0], "version", version, "errors", errors.Length);
        }

        // The rejection's messages as they wait for settings_rejected: at most MaxKeptErrors of at most
        // MaxKeptErrorChars each, the last one counting the rest, so what a rejection keeps in memory has a bound
        // (docs/firmware-core.md, memory budget) and still fits one frame of the JSON writer.
        private static string[] Kept(string[] errors)
        {
            int count = errors.Length <= MaxKeptErrors ? errors.Length : MaxKeptErrors;
            string[] kept = new string[count];
            for (int i = 0; i < count; i++)
            {
                string message = errors[i];
                kept[i] = message.Length <= MaxKeptErrorChars ? message : message.Substring(0, MaxKeptErrorChars - 1) + "~";
            }

            if (errors.Length > MaxKeptErrors)
            {
                // Counts messages: the reader's own last message may already sum up more errors.
                kept[MaxKeptErrors - 1] = "... and " + (errors.Length - MaxKeptErrors + 1).ToString() + " more messages";
            }

            return kept;
        }
    }
}
