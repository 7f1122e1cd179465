namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// A fixed-size ring of received text frames. When full, the oldest frame is dropped and counted: acks are
    /// cumulative, so the newest frames carry the most information. Not thread-safe; the owner locks.
    /// </summary>
    public sealed class FrameQueue
    {
        private readonly string[] _items;
        private int _head;
        private int _count;
        private int _dropped;

        /// <summary>A queue holding at most <paramref name="capacity"/> frames.</summary>
        public FrameQueue(int capacity)
        {
            _items = new string[capacity < 1 ? 1 : capacity];
        }

        /// <summary>Frames waiting.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Frames dropped because the queue was full, since creation.</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>Adds a frame, dropping the oldest when full; returns false when something was dropped.</summary>
        public bool Enqueue(string frame)
        {
            bool kept = true;
            if (_count == _items.Length)
            {
                _items[_head] = null;
                _head = (_head + 1) % _items.Length;
                _count--;
                _dropped++;
                kept = false;
            }

            _items[(_head + _count) % _items.Length] = frame;
            _count++;
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
