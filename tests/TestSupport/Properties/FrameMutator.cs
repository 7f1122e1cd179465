using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// Makes mutated frames for the property tests: a seed (a golden vector) changed by a list of operations, each
    /// three numbers (what, where, with what), so a property-testing library can generate and shrink the list. The
    /// operations are the ones that break JSON parsers: flipped bits, structural characters, deleted and repeated
    /// runs (a few times, or hundreds for many-element documents), tokens at the edges (escaped surrogate halves,
    /// numbers around long's limits, nesting), splices from another seed and truncation. Plain C#: the fuzzer (fuzz/) mutates on its own.
    /// </summary>
    public static class FrameMutator
    {
        /// <summary>Operations per mutated frame at most (three numbers each).</summary>
        public const int MaxOperations = 8;

        /// <summary>The longest result; the server's frame limit is 8 KiB, so longer inputs are only too_large.</summary>
        public const int MaxLength = 12 * 1024;

        private static readonly byte[] Structural = Encoding.ASCII.GetBytes("{}[]\":,\\ -.0e\t\n").Concat(new byte[] { 0x00, 0x1f, 0x7f, 0xc3, 0xe2, 0xff }).ToArray();

        private static readonly string[] Tokens =
        {
            "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\\\", "\\\"", "\\x", "\\u12G4",
            "-0", "1e3", "0.5", "-1", "01", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "null", "true", "false", "[]", "{}", "\"\"", "[[[[[[[[[[[[[[[[[", "]]]]", "}}}}",
            "\"event\":", "\"seq\":", "\"data\":", "\"time\":", "\"zones\":", "\"zone\":", "\"record\":", "\"raw\":",
            "\"hello\"", "\"temperature\"", "\"soil_moisture\"", "\"status\"", "\"irrigate\"", "\"ack\"", "\"welcome\"",
            "\u00e9", "\ud83d\ude00", "\ufeff",
        };

        /// <summary>Every frame below a folder of tests/vectors (both directions by default), sorted by path.</summary>
        public static byte[][] Seeds(params string[] folders)
        {
            var roots = folders.Length == 0 ? new[] { RepoPaths.Vectors } : folders.Select(f => Path.Combine(RepoPaths.Vectors, f)).ToArray();
            return roots
                .SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories))
                .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(File.ReadAllBytes)
                .ToArray();
        }

        /// <summary>Applies <paramref name="operations"/> (read in threes) to seed number <paramref name="seed"/> (modulo the count).</summary>
        public static byte[] Mutate(byte[][] seeds, int seed, int[] operations)
        {
            var frame = new List<byte>(seeds[Index(seed, seeds.Length)]);
            for (var i = 0; i + 2 < operations.Length && i < MaxOperations * 3; i += 3)
            {
                Apply(frame, seeds, operations[i], operations[i + 1], operations[i + 2]);
                if (frame.Count > MaxLength)
                {
                    frame.RemoveRange(MaxLength, frame.Count - MaxLength);
                }
            }

            return frame.ToArray();
        }

        private static void Apply(List<byte> frame, byte[][] seeds, int what, int where, int with)
        {
            var at = frame.Count == 0 ? 0 : Index(where, frame.Count);
            var run = 1 + Index(with, 16);
            switch (Index(what, 9))
            {
                case 0 when frame.Count > 0:
                    frame[at] ^= (byte)(1 << Index(with, 8));
                    break;
                case 1 when frame.Count > 0:
                    frame[at] = Structural[Index(with, Structural.Length)];
                    break;
                case 2:
                    frame.RemoveRange(at, Math.Min(run, frame.Count - at));
                    break;
                case 3:
                    frame.InsertRange(at, frame.Skip(at).Take(run).ToArray());
                    break;
                case 4:
                case 5:
                    frame.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[Index(with, Tokens.Length)]));
                    break;
                case 6:
                    var donor = seeds[Index(with, seeds.Length)];
                    var from = Index(with / 7, donor.Length + 1);
                    frame.InsertRange(at, donor.Skip(from).Take(run * 4));
                    break;
                case 7:
                    frame.RemoveRange(at, frame.Count - at);
                    break;
                case 8:
                    // Many elements: where parsers collect lists, messages or objects per element.
                    var repeated = frame.Skip(at).Take(run).ToArray();
                    for (var copies = Index(with / 16, 400); copies > 0 && frame.Count < MaxLength; copies--)
                    {
                        frame.InsertRange(at, repeated);
                    }

                    break;
            }
        }

        private static int Index(int value, int count) => count == 0 ? 0 : (int)((uint)value % (uint)count);
    }
}
