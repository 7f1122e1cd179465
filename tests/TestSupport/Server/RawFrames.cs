using System;
using System.Buffers.Text;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// Reads the few fields a fake client needs straight from a frame's UTF-8 bytes, without a JSON document: the
    /// server writes compact JSON (no spaces), and the load benchmarks read hundreds of thousands of frames a second.
    /// </summary>
    public static class RawFrames
    {
        /// <summary>The value of the first <c>"event":"…"</c>, or empty when there is none.</summary>
        public static ReadOnlySpan<byte> EventName(ReadOnlySpan<byte> frame) => StringAfter(frame, "\"event\":\""u8);

        /// <summary>True when the frame's event is <paramref name="name"/>.</summary>
        public static bool IsEvent(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> name) => EventName(frame).SequenceEqual(name);

        /// <summary>The integer after the first <c>"seq":</c> (an ack's data.seq, a tagged event's seq), or -1.</summary>
        public static long Seq(ReadOnlySpan<byte> frame) => NumberAfter(frame, "\"seq\":"u8);

        /// <summary>The integer right after the first occurrence of <paramref name="prefix"/>, or -1.</summary>
        public static long NumberAfter(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> prefix)
        {
            var at = frame.IndexOf(prefix);
            return at >= 0 && Utf8Parser.TryParse(frame[(at + prefix.Length)..], out long value, out _) ? value : -1;
        }

        /// <summary>The characters up to the next quote after <paramref name="prefix"/> (which ends with a quote), or empty.</summary>
        public static ReadOnlySpan<byte> StringAfter(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> prefix)
        {
            var at = frame.IndexOf(prefix);
            if (at < 0)
            {
                return default;
            }

            var rest = frame[(at + prefix.Length)..];
            var end = rest.IndexOf((byte)'"');
            return end < 0 ? default : rest[..end];
        }
    }
}
