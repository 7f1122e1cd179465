using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;

namespace Irrigation.Core.Water
{
    /// <summary>
    /// What the water metering must not lose across a reboot, kept in RAM and saved to flash through the
    /// <see cref="WaterStore"/> (when there is one): per zone the fraction of a tenth of a litre carried to the next
    /// run, the pulses of the open run so far (the part a power cut would cut short), the learned baseline; the
    /// leak lock; and every water event (<c>irrigation_stopped</c> with <c>litres</c>) recorded but not yet
    /// acknowledged, with the boot and seq it was recorded under. After a reboot those are sent again under their
    /// own boot (a reconnect of the old boot: the server's <c>resume</c> says which it already stored), so a volume
    /// is stored exactly once however the link and the power behave.
    /// The flash text is the payload of the store's slot:
    /// <code>{"leak":0,"zones":{"beds":[frac,run,baseline,runs]},"pending":[[boot,seq,time,"beds",reason,litres]]}</code>
    /// It is written with the controller's frame writer (one tick thread, one text at a time) and must fit it: when
    /// it does not, the oldest pending volumes are left out of the file (they stay in RAM) and an error is logged.
    /// </summary>
    internal sealed class WaterLedger
    {
        /// <summary>Water events awaiting an ack that the ledger keeps at most; beyond, the oldest is forgotten.</summary>
        internal const int MaxPending = 16;

        private readonly WaterStore _store;
        private readonly JsonWriter _writer;
        private readonly Logger _log;
        private readonly JsonReader _reader = new JsonReader();

        // Per zone, in the running config's zone order (capacity: every valve of the board).
        private string[] _names;
        private long[] _frac;
        private long[] _tail;
        private int[] _baseline;
        private int[] _baselineRuns;
        private bool _leakLocked;

        // Water events recorded and not yet acknowledged, oldest first.
        private readonly long[] _pendingBoot = new long[MaxPending];
        private readonly int[] _pendingSeq = new int[MaxPending];
        private readonly long[] _pendingTime = new long[MaxPending];
        private readonly string[] _pendingZone = new string[MaxPending];
        private readonly int[] _pendingReason = new int[MaxPending];
        private readonly int[] _pendingLitres = new int[MaxPending];
        private int _pendingCount;
        private bool _dirty;

        /// <summary>A ledger for up to <paramref name="zoneCapacity"/> zones, saved through <paramref name="store"/> (null: RAM only).</summary>
        public WaterLedger(WaterStore store, JsonWriter writer, Logger log, int zoneCapacity)
        {
            _store = store;
            _writer = writer;
            _log = log;
            _names = new string[0];
            _frac = new long[zoneCapacity];
            _tail = new long[zoneCapacity];
            _baseline = new int[zoneCapacity];
            _baselineRuns = new int[zoneCapacity];
        }

        /// <summary>True when a leak was detected and no person cleared it yet (survives reboots).</summary>
        public bool LeakLocked
        {
            get { return _leakLocked; }
        }

        /// <summary>Water events awaiting an ack.</summary>
        public int PendingCount
        {
            get { return _pendingCount; }
        }

        /// <summary>Pulses×10 below one tenth of a litre that zone <paramref name="zone"/>'s next run starts from.</summary>
        public long Fraction(int zone)
        {
            return _frac[zone];
        }

        /// <summary>Pulses of zone <paramref name="zone"/>'s open run as last saved (0 when none).</summary>
        public long Tail(int zone)
        {
            return _tail[zone];
        }

        /// <summary>The zone's learned flow, tenths of L/min (0 while none is learned).</summary>
        public int Baseline(int zone)
        {
            return _baseline[zone];
        }

        /// <summary>Runs the zone's baseline was learned from (at most <see cref="WaterMeter.BaselineRuns"/>).</summary>
        public int BaselineRuns(int zone)
        {
            return _baselineRuns[zone];
        }

        /// <summary>Sets the leak lock; saved at once (a lock must survive a reboot the moment it is taken).</summary>
        public void SetLeakLocked(bool locked)
        {
            if (_leakLocked != locked)
            {
                _leakLocked = locked;
                Save();
            }
        }

        /// <summary>A run of <paramref name="zone"/> ended: the fraction carried on, the tail cleared, the baseline (0 = unchanged).</summary>
        public void RunEnded(int zone, long fraction, int baseline, int baselineRuns)
        {
            _frac[zone] = fraction;
            _tail[zone] = 0;
            if (baseline > 0)
            {
                _baseline[zone] = baseline;
                _baselineRuns[zone] = baselineRuns;
            }

            _dirty = true;
        }

        /// <summary>Notes the pulses of an open run for the next save (a checkpoint).</summary>
        public void SetTail(int zone, long pulses)
        {
            if (_tail[zone] != pulses)
            {
                _tail[zone] = pulses;
                _dirty = true;
            }
        }

        /// <summary>
        /// Loads the newest intact ledger from flash (nothing without a store) for the zones named
        /// <paramref name="zoneNames"/>; zones it does not know start fresh.
        /// </summary>
        public void Load(string[] zoneNames)
        {
            _names = zoneNames;
            if (_store == null)
            {
                return;
            }

            string text = _store.Load();
            if (_store.Problems != null)
            {
                _log.Warn("water", _store.Problems);
            }

            if (text != null && !Parse(text))
            {
                _log.Error("water", "stored ledger unreadable, starting afresh");
            }

            // The reader would keep the loaded text for the whole boot.
            _reader.Reset(null);
        }

        /// <summary>The zones are now <paramref name="zoneNames"/> (settings): each zone's state follows its name.</summary>
        public void UseZones(string[] zoneNames)
        {
            int n = _frac.Length;
            long[] frac = new long[n];
            long[] tail = new long[n];
            int[] baseline = new int[n];
            int[] runs = new int[n];
            for (int z = 0; z < zoneNames.Length && z < n; z++)
            {
                int old = IndexOf(_names, zoneNames[z]);
                if (old >= 0 && old < n)
                {
                    frac[z] = _frac[old];
                    tail[z] = _tail[old];
                    baseline[z] = _baseline[old];
                    runs[z] = _baselineRuns[old];
                }
            }

            _names = zoneNames;
            _frac = frac;
            _tail = tail;
            _baseline = baseline;
            _baselineRuns = runs;
            _dirty = true;
        }

        /// <summary>
        /// Keeps a recorded water event until it is acknowledged. <paramref name="time"/> is Unix seconds, or
        /// -(uptime seconds + 1) while this boot's clock is unknown. A full list forgets its oldest entry (logged).
        /// </summary>
        public void AddPending(long boot, int seq, long time, string zone, int reason, int litres)
        {
            if (_pendingCount == MaxPending)
            {
                _log.Error("water", "more unacknowledged volumes than the ledger keeps: the oldest is kept in RAM only", "seq", _pendingSeq[0]);
                RemovePendingAt(0);
            }

            int i = _pendingCount++;
            _pendingBoot[i] = boot;
            _pendingSeq[i] = seq;
            _pendingTime[i] = time;
            _pendingZone[i] = zone;
            _pendingReason[i] = reason;
            _pendingLitres[i] = litres;
            _dirty = true;
        }

        /// <summary>Boot id of pending entry <paramref name="i"/> (0 = oldest).</summary>
        public long PendingBoot(int i)
        {
            return _pendingBoot[i];
        }

        /// <summary>Seq of pending entry <paramref name="i"/>.</summary>
        public int PendingSeq(int i)
        {
            return _pendingSeq[i];
        }

        /// <summary>Unix time of pending entry <paramref name="i"/>, or a negative value when its boot never knew the time.</summary>
        public long PendingTime(int i)
        {
            return _pendingTime[i];
        }

        /// <summary>Zone name of pending entry <paramref name="i"/>.</summary>
        public string PendingZone(int i)
        {
            return _pendingZone[i];
        }

        /// <summary><c>IrrigationReason</c> of pending entry <paramref name="i"/>.</summary>
        public int PendingReason(int i)
        {
            return _pendingReason[i];
        }

        /// <summary>Litres (tenths) of pending entry <paramref name="i"/>.</summary>
        public int PendingLitres(int i)
        {
            return _pendingLitres[i];
        }

        /// <summary>The oldest boot other than <paramref name="currentBoot"/> with water events awaiting an ack, or 0.</summary>
        public long OldestOtherBoot(long currentBoot)
        {
            for (int i = 0; i < _pendingCount; i++)
            {
                if (_pendingBoot[i] != currentBoot)
                {
                    return _pendingBoot[i];
                }
            }

            return 0;
        }

        /// <summary>The first entry of <paramref name="boot"/> with a seq above <paramref name="afterSeq"/>, or -1.</summary>
        public int NextPending(long boot, long afterSeq)
        {
            for (int i = 0; i < _pendingCount; i++)
            {
                if (_pendingBoot[i] == boot && _pendingSeq[i] > afterSeq)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// The server has every event of <paramref name="boot"/> up to <paramref name="throughSeq"/>: those entries
        /// are forgotten. Saved lazily: an entry still in flash after a reboot is only offered again, and the server's
        /// resume says it is stored.
        /// </summary>
        public void Stored(long boot, long throughSeq)
        {
            for (int i = _pendingCount - 1; i >= 0; i--)
            {
                if (_pendingBoot[i] == boot && _pendingSeq[i] <= throughSeq)
                {
                    RemovePendingAt(i);
                    _dirty = true;
                }
            }
        }

        /// <summary>The clock of <paramref name="boot"/> is known now: its entries waiting for it get their Unix time (saved).</summary>
        public void StampClock(long boot, long unixOffset)
        {
            bool changed = false;
            for (int i = 0; i < _pendingCount; i++)
            {
                if (_pendingBoot[i] == boot && _pendingTime[i] < 0)
                {
                    _pendingTime[i] = unixOffset - _pendingTime[i] - 1;
                    changed = true;
                }
            }

            if (changed)
            {
                Save();
            }
        }

        /// <summary>Saves if anything changed since the last save.</summary>
        public void SaveIfChanged()
        {
            if (_dirty)
            {
                Save();
            }
        }

        /// <summary>
        /// Writes the ledger to flash now (nothing without a store). Returns false when it could not, logged; the
        /// next save tries again.
        /// </summary>
        public bool Save()
        {
            _dirty = false;
            if (_store == null)
            {
                return true;
            }

            string text = null;
            int skip = 0;
            while (text == null && skip <= _pendingCount)
            {
                text = Write(skip);
                skip = text == null ? skip + 1 : skip;
            }

            if (skip > 0)
            {
                _log.Error("water", "ledger too large for one write: oldest unacknowledged volumes kept in RAM only", "left_out", skip);
            }

            string error = text == null ? "does not fit" : _store.Save(text);
            if (error != null)
            {
                _dirty = true;
                _log.Error("water", "ledger not saved: " + error);
                return false;
            }

            return true;
        }

        private string Write(int skipPending)
        {
            JsonWriter w = _writer;
            w.Reset();
            w.BeginObject();
            w.Property("leak", _leakLocked ? 1 : 0);
            w.Name("zones");
            w.BeginObject();
            for (int z = 0; z < _names.Length && z < _frac.Length; z++)
            {
                w.Name(_names[z]);
                w.BeginArray();
                w.Int(_frac[z]);
                w.Int(_tail[z]);
                w.Int(_baseline[z]);
                w.Int(_baselineRuns[z]);
                w.EndArray();
            }

            w.EndObject();
            w.Name("pending");
            w.BeginArray();
            for (int i = skipPending; i < _pendingCount; i++)
            {
                w.BeginArray();
                w.Int(_pendingBoot[i]);
                w.Int(_pendingSeq[i]);
                w.Int(_pendingTime[i]);
                w.String(_pendingZone[i]);
                w.Int(_pendingReason[i]);
                w.Int(_pendingLitres[i]);
                w.EndArray();
            }

            w.EndArray();
            w.EndObject();
            return w.ToString();
        }

        private bool Parse(string text)
        {
            JsonReader r = _reader;
            r.Reset(text);
            if (!r.Read() || r.Token != JsonToken.StartObject)
            {
                return false;
            }

            while (r.Read() && r.Token == JsonToken.PropertyName)
            {
                string key = r.StringValue;
                if (!r.Read())
                {
                    return false;
                }

                bool ok;
                if (key == "leak")
                {
                    ok = r.Token == JsonToken.Number && r.IsInteger;
                    _leakLocked = ok && r.IntegerValue != 0;
                }
                else if (key == "zones")
                {
                    ok = ParseZones();
                }
                else if (key == "pending")
                {
                    ok = ParsePending();
                }
                else
                {
                    ok = r.Skip();
                }

                if (!ok)
                {
                    return false;
                }
            }

            return r.Token == JsonToken.EndObject;
        }

        // "zones": {"beds": [frac, run, baseline, runs], ...}: a zone no longer configured is dropped.
        private bool ParseZones()
        {
            JsonReader r = _reader;
            if (r.Token != JsonToken.StartObject)
            {
                return false;
            }

            long[] values = new long[4];
            while (r.Read() && r.Token == JsonToken.PropertyName)
            {
                int z = IndexOf(_names, r.StringValue);
                if (!r.Read() || !ReadIntegers(values))
                {
                    return false;
                }

                if (z >= 0 && z < _frac.Length)
                {
                    _frac[z] = values[0];
                    _tail[z] = values[1];
                    _baseline[z] = (int)values[2];
                    _baselineRuns[z] = (int)values[3];
                }
            }

            return r.Token == JsonToken.EndObject;
        }

        // "pending": [[boot, seq, time, "zone", reason, litres], ...]
        private bool ParsePending()
        {
            JsonReader r = _reader;
            if (r.Token != JsonToken.StartArray)
            {
                return false;
            }

            while (r.Read() && r.Token == JsonToken.StartArray)
            {
                long boot = NextInteger();
                long seq = NextInteger();
                long time = NextInteger();
                string zone = r.Read() && r.Token == JsonToken.String ? r.StringValue : null;
                long reason = NextInteger();
                long litres = NextInteger();
                if (zone == null || seq < 1 || seq > int.MaxValue || litres < 0 || litres > int.MaxValue || !r.Read() || r.Token != JsonToken.EndArray)
                {
                    return false;
                }

                AddPending(boot, (int)seq, time, zone, (int)reason, (int)litres);
            }

            _dirty = false;
            return r.Token == JsonToken.EndArray;
        }

        private bool ReadIntegers(long[] values)
        {
            JsonReader r = _reader;
            if (r.Token != JsonToken.StartArray)
            {
                return false;
            }

            for (int i = 0; i < values.Length; i++)
            {
                values[i] = NextInteger();
                if (values[i] < 0)
                {
                    return false;
                }
            }

            return r.Read() && r.Token == JsonToken.EndArray;
        }

        // The next token as an integer; long.MinValue when it is not one.
        private long NextInteger()
        {
            JsonReader r = _reader;
            return r.Read() && r.Token == JsonToken.Number && r.IsInteger ? r.IntegerValue : long.MinValue;
        }

        private void RemovePendingAt(int index)
        {
            for (int i = index; i < _pendingCount - 1; i++)
            {
                _pendingBoot[i] = _pendingBoot[i + 1];
                _pendingSeq[i] = _pendingSeq[i + 1];
                _pendingTime[i] = _pendingTime[i + 1];
                _pendingZone[i] = _pendingZone[i + 1];
                _pendingReason[i] = _pendingReason[i + 1];
                _pendingLitres[i] = _pendingLitres[i + 1];
            }

            _pendingCount--;
            _pendingZone[_pendingCount] = null;
        }

        private static int IndexOf(string[] names, string name)
        {
            for (int i = 0; names != null && i < names.Length; i++)
            {
                if (names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
