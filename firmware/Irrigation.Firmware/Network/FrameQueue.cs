namespace Irrigation.Firmware.Network
{
    /// <summary>
    /// The received frames waiting for the tick thread, as the WebSocket library received them (UTF-8 bytes, a new
    /// array per message: nanoframework/System.Net.WebSockets WebSocketReceiver.cs ReadFixedSizeBuffer), bounded in
    /// bytes and in frames. The tick thread decodes one frame at a time, so a frame costs its bytes here and its
    /// text only while it is handled. When a frame does not fit, the oldest ones are dropped and counted: acks are
    /// cumulative and a settings frame supersedes the one before, so the newest frames carry the most information.
    /// A frame larger than the whole budget is dropped itself. Not thread-safe; the owner locks.
    /// </summary>
    public sealed class FrameQueue
    {
        private readonly byte[][] _items;
        private readonly int[] _lengths;
        private readonly int _capacityBytes;
        private int _head;
        private int _count;
        private int _bytes;
        private int _dropped;

        /// <summary>A queue holding at most <paramref name="capacityBytes"/> bytes in at most <paramref name="maxFrames"/> frames.</summary>
        public FrameQueue(int capacityBytes, int maxFrames)
        {
            _capacityBytes = capacityBytes < 1 ? 1 : capacityBytes;
            int frames = maxFrames < 1 ? 1 : maxFrames;
            _items = new byte[frames][];
            _lengths = new int[frames];
        }

        /// <summary>Frames waiting.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Bytes waiting, over all frames.</summary>
        public int Bytes
        {
            get { return _bytes; }
        }

        /// <summary>The byte budget.</summary>
        public int CapacityBytes
        {
            get { return _capacityBytes; }
        }

        /// <summary>Frames dropped (oldest evicted, or too large) since creation.</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>
        /// Adds the first <paramref name="length"/> bytes of <paramref name="frame"/> (kept, not copied), dropping the
        /// oldest frames until it fits; returns false when something was dropped.
        /// </summary>
        public bool Enqueue(byte[] frame, int length)
        {
            if (frame == null || length < 0 || length > frame.Length)
            {
                return true;
            }

            if (length > _capacityBytes)
            {
                _dropped++;
                return false;
            }

            bool kept = true;
            while (_count == _items.Length || _bytes + length > _capacityBytes)
            {
                int ignored;
                Dequeue(out ignored);
                _dropped++;
                kept = false;
            }

            int slot = (_head + _count) % _items.Length;
            _items[slot] = frame;
            _lengths[slot] = length;
            _count++;
            _bytes += length;
            return kept;
        }

        /// <summary>The oldest frame and its <paramref name="length"/> in bytes, or null when empty.</summary>
        public byte[] Dequeue(out int length)
        {
            if (_count == 0)
            {
                length = 0;
                return null;
            }

            byte[] frame = _items[_head];
            length = _lengths[_head];
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            _bytes -= length;
            return frame;
        }

        /// <summary>Forgets every waiting frame (after a reconnect they belong to a dead connection).</summary>
        public void Clear()
        {
            int ignored;
            while (_count > 0)
            {
                Dequeue(out ignored);
            }
        }
    }
}
