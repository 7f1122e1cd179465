namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// The received text frames waiting for the tick thread, bounded in characters (what they cost on the heap:
    /// two bytes each) and in frames. When a frame does not fit, the oldest ones are dropped and counted: acks
    /// are cumulative, so the newest frames carry the most information. A frame larger than the whole budget
    /// is dropped itself. Not thread-safe; the owner locks.
    /// </summary>
    public sealed class FrameQueue
    {
        private readonly string[] _items;
        private readonly int _capacityChars;
        private int _head;
        private int _count;
        private int _chars;
        private int _dropped;

        /// <summary>A queue holding at most <paramref name="capacityChars"/> characters in at most <paramref name="maxFrames"/> frames.</summary>
        public FrameQueue(int capacityChars, int maxFrames)
        {
            _capacityChars = capacityChars < 1 ? 1 : capacityChars;
            _items = new string[maxFrames < 1 ? 1 : maxFrames];
        }

        /// <summary>Frames waiting.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Characters waiting, over all frames.</summary>
        public int Chars
        {
            get { return _chars; }
        }

        /// <summary>The character budget.</summary>
        public int CapacityChars
        {
            get { return _capacityChars; }
        }

        /// <summary>Frames dropped (oldest evicted, or too large) since creation.</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>Adds a frame, dropping the oldest until it fits; returns false when something was dropped.</summary>
        public bool Enqueue(string frame)
        {
            if (frame == null)
            {
                return true;
            }

            if (frame.Length > _capacityChars)
            {
                _dropped++;
                return false;
            }

            bool kept = true;
            while (_count == _items.Length || _chars + frame.Length > _capacityChars)
            {
                Dequeue();
                _dropped++;
                kept = false;
            }

            _items[(_head + _count) % _items.Length] = frame;
            _count++;
            _chars += frame.Length;
            return kept;
        }

        /// <summary>The oldest frame, or null when empty.</summary>
        public string Dequeue()
        {
            if (_count == 0)
            {
                return null;
            }

            string frame = _items[_head];
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            _chars -= frame.Length;
            return frame;
        }

        /// <summary>Forgets every waiting frame (after a reconnect they belong to a dead connection).</summary>
        public void Clear()
        {
            while (_count > 0)
            {
                Dequeue();
            }
        }
    }
}
