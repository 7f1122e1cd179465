using Irrigation.Core.Protocol;

namespace Irrigation.Core.Link
{
    /// <summary>
    /// The offline buffer: a bounded queue of compact numeric event records (kind, seq, uptime second, five
    /// integers, an optional short text), oldest first, that wait here until the server acknowledges them.
    /// Frames are encoded only when sent. When full, the oldest telemetry (<see cref="IsTelemetry"/>) that is
    /// not in flight goes first; irrigation, water, sensor and command events go only when nothing else is left.
    /// Every eviction counts in <see cref="DroppedCount"/> (status.dropped).
    /// Records stay in seq order; the first <see cref="SentCount"/> are in flight on the current connection.
    /// Memory: about 30 bytes per record plus the text slots, all allocated once.
    /// </summary>
    public sealed class EventBuffer
    {
        /// <summary>Integers per record.</summary>
        public const int Fields = 5;

        /// <summary>Longest text kept with a record; longer text is cut.</summary>
        public const int MaxTextChars = 160;

        private const byte NoText = 255;

        private readonly byte[] _kind;
        private readonly int[] _seq;
        private readonly int[] _time;
        private readonly int[] _values;
        private readonly byte[] _text;
        private readonly string[] _texts;
        private int _head;
        private int _count;
        private int _sent;
        private long _dropped;

        /// <summary>Creates a buffer of <paramref name="capacity"/> records, at most <paramref name="textSlots"/> (1–254) of them holding text.</summary>
        public EventBuffer(int capacity, int textSlots)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }

            if (textSlots < 1)
            {
                textSlots = 1;
            }

            if (textSlots > 254)
            {
                textSlots = 254;
            }

            _kind = new byte[capacity];
            _seq = new int[capacity];
            _time = new int[capacity];
            _values = new int[capacity * Fields];
            _text = new byte[capacity];
            _texts = new string[textSlots];
        }

        /// <summary>Records the buffer can hold.</summary>
        public int Capacity
        {
            get { return _kind.Length; }
        }

        /// <summary>Records waiting (sent or not) for an ack.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Records at the front already sent on the current connection (in flight).</summary>
        public int SentCount
        {
            get { return _sent; }
        }

        /// <summary>Records evicted since start because the buffer (or its text slots) was full.</summary>
        public long DroppedCount
        {
            get { return _dropped; }
        }

        /// <summary>Records holding text right now (at most the number of text slots).</summary>
        public int TextCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _texts.Length; i++)
                {
                    if (_texts[i] != null)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>
        /// True for the kinds that go first when the buffer is full: the readings the reading-kinds table marks as
        /// telemetry (temperature, humidity, soil moisture, flow), status and log.
        /// </summary>
        public static bool IsTelemetry(EventKind kind)
        {
            switch (kind)
            {
                case EventKind.Temperature:
                    return ReadingSpecs.Temperature.IsTelemetry;
                case EventKind.Humidity:
                    return ReadingSpecs.Humidity.IsTelemetry;
                case EventKind.SoilMoisture:
                    return ReadingSpecs.SoilMoisture.IsTelemetry;
                case EventKind.Flow:
                    return ReadingSpecs.Flow.IsTelemetry;
                case EventKind.Status:
                case EventKind.Log:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// Appends a record (seq must be above every seq in the buffer). Evicts by the policy above when full.
        /// Returns false when the record itself was not kept (a log whose text found no slot).
        /// </summary>
        public bool Add(EventKind kind, int seq, int uptimeSeconds, int a, int b, int c, int d, int e, string text)
        {
            byte slot = NoText;
            if (text != null)
            {
                slot = FreeTextSlot();
                if (slot == NoText)
                {
                    // Texts are bounded separately so log lines can never fill the memory budget.
                    int victim = FindTextVictim(kind != EventKind.Log);
                    if (victim < 0)
                    {
                        _dropped++;
                        return false;
                    }

                    RemoveAt(victim);
                    _dropped++;
                    slot = FreeTextSlot();
                }

                if (text.Length > MaxTextChars)
                {
                    text = text.Substring(0, MaxTextChars);
                }

                _texts[slot] = text;
            }

            if (_count == _kind.Length)
            {
                RemoveAt(FindVictim());
                _dropped++;
            }

            int at = Physical(_count);
            _kind[at] = (byte)kind;
            _seq[at] = seq;
            _time[at] = uptimeSeconds;
            int v = at * Fields;
            _values[v] = a;
            _values[v + 1] = b;
            _values[v + 2] = c;
            _values[v + 3] = d;
            _values[v + 4] = e;
            _text[at] = slot;
            _count++;
            return true;
        }

        /// <summary>Kind of the record at <paramref name="index"/> (0 = oldest).</summary>
        public EventKind KindAt(int index)
        {
            return (EventKind)_kind[Physical(index)];
        }

        /// <summary>Seq of the record at <paramref name="index"/>.</summary>
        public int SeqAt(int index)
        {
            return _seq[Physical(index)];
        }

        /// <summary>Uptime in seconds when the record at <paramref name="index"/> was made.</summary>
        public int UptimeSecondsAt(int index)
        {
            return _time[Physical(index)];
        }

        /// <summary>Field <paramref name="field"/> (0–4, A–E in <see cref="EventKind"/>) of the record at <paramref name="index"/>.</summary>
        public int ValueAt(int index, int field)
        {
            return _values[Physical(index) * Fields + field];
        }

        /// <summary>Text of the record at <paramref name="index"/>, or null.</summary>
        public string TextAt(int index)
        {
            byte slot = _text[Physical(index)];
            return slot == NoText ? null : _texts[slot];
        }

        /// <summary>Notes that the first unsent record was sent.</summary>
        public void MarkSent()
        {
            if (_sent < _count)
            {
                _sent++;
            }
        }

        /// <summary>Forgets what was in flight (the connection is gone; everything unacked is sent again).</summary>
        public void ResetSent()
        {
            _sent = 0;
        }

        /// <summary>Removes every record with seq ≤ <paramref name="seq"/> (cumulative ack); returns how many.</summary>
        public int AckThrough(long seq)
        {
            int removed = 0;
            while (_count > 0 && _seq[_head] <= seq)
            {
                RemoveAt(0);
                removed++;
            }

            return removed;
        }

        /// <summary>Removes everything (not counted as dropped).</summary>
        public void Clear()
        {
            while (_count > 0)
            {
                RemoveAt(0);
            }
        }

        private int Physical(int index)
        {
            int p = _head + index;
            return p >= _kind.Length ? p - _kind.Length : p;
        }

        private int FindVictim()
        {
            for (int i = _sent; i < _count; i++)
            {
                if (IsTelemetry((EventKind)_kind[Physical(i)]))
                {
                    return i;
                }
            }

            for (int i = 0; i < _sent; i++)
            {
                if (IsTelemetry((EventKind)_kind[Physical(i)]))
                {
                    return i;
                }
            }

            return 0;
        }

        private int FindTextVictim(bool anyKind)
        {
            int fallback = -1;
            for (int i = 0; i < _count; i++)
            {
                int p = Physical(i);
                if (_text[p] == NoText)
                {
                    continue;
                }

                if ((EventKind)_kind[p] == EventKind.Log)
                {
                    return i;
                }

                if (anyKind && fallback < 0)
                {
                    fallback = i;
                }
            }

            return fallback;
        }

        private byte FreeTextSlot()
        {
            for (int i = 0; i < _texts.Length; i++)
            {
                if (_texts[i] == null)
                {
                    return (byte)i;
                }
            }

            return NoText;
        }

        private void RemoveAt(int index)
        {
            int p = Physical(index);
            if (_text[p] != NoText)
            {
                _texts[_text[p]] = null;
            }

            if (index == 0)
            {
                _head = Physical(1);
            }
            else
            {
                // Close the gap by moving the later records one place forward; capacity is small (hundreds).
                for (int i = index; i < _count - 1; i++)
                {
                    Copy(Physical(i + 1), Physical(i));
                }
            }

            _count--;
            if (index < _sent)
            {
                _sent--;
            }

            if (_count == 0)
            {
                _head = 0;
            }
        }

        private void Copy(int from, int to)
        {
            _kind[to] = _kind[from];
            _seq[to] = _seq[from];
            _time[to] = _time[from];
            _text[to] = _text[from];
            int f = from * Fields;
            int t = to * Fields;
            for (int k = 0; k < Fields; k++)
            {
                _values[t + k] = _values[f + k];
            }
        }
    }
}
