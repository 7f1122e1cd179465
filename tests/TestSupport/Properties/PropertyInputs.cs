using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// The inputs of the parsers' property tests and how long they run. Each run samples afresh (CsCheck prints the
    /// seed of a failure; CsCheck_Seed=... replays it). The budget keeps the test command quick; CsCheck_Iter=N or
    /// CsCheck_Time=SECONDS runs every property longer (docs/fuzzing.md).
    /// </summary>
    public static class PropertyInputs
    {
        /// <summary>Arbitrary bytes: mostly not JSON, often not UTF-8.</summary>
        public static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 600];

        /// <summary>Arbitrary text (any UTF-16, unpaired surrogates included), as UTF-8.</summary>
        public static readonly Gen<byte[]> RandomText = Gen.String.Select(s => Encoding.UTF8.GetBytes(s));

        /// <summary>Golden frames changed by up to <see cref="FrameMutator.MaxOperations"/> operations.</summary>
        public static Gen<byte[]> Mutated(byte[][] seeds) =>
            Gen.Select(Gen.Int, Gen.Int.Array[3, FrameMutator.MaxOperations * 3], (seed, operations) => FrameMutator.Mutate(seeds, seed, operations));

        /// <summary>Mostly mutated seeds, some unchanged, some random bytes and text.</summary>
        public static Gen<byte[]> Frames(byte[][] seeds) => Gen.Frequency(
            (6, (IGen<byte[]>)Mutated(seeds)),
            (1, Gen.OneOf(seeds)),
            (1, RandomBytes),
            (1, RandomText));

        /// <summary>Runs <paramref name="check"/> on <paramref name="iterations"/> inputs (or what the environment asks).</summary>
        public static void Sample(Gen<byte[]> inputs, Action<byte[]> check, long iterations) =>
            inputs.Sample(check, iter: Setting("CsCheck_Iter") ?? iterations, time: (int)(Setting("CsCheck_Time") ?? -1), print: Show);

        /// <summary>
        /// Runs <paramref name="check"/> on every input the fuzzer ever broke <paramref name="target"/> with
        /// (fuzz/regressions/TARGET), on <paramref name="seeds"/>, and on the corpus of a fuzz run when
        /// IRRIGATION_FUZZ_CORPUS names one (fuzz/run.sh measures the parsers' coverage that way).
        /// </summary>
        public static void Replay(string target, byte[][] seeds, Action<byte[]> check)
        {
            var corpus = Environment.GetEnvironmentVariable("IRRIGATION_FUZZ_CORPUS");
            var fuzzed = string.IsNullOrEmpty(corpus) || !Directory.Exists(Path.Combine(corpus, target))
                ? Array.Empty<string>()
                : Directory.GetFiles(Path.Combine(corpus, target));
            foreach (var file in Files("fuzz", "regressions", target).Concat(fuzzed))
            {
                check(File.ReadAllBytes(file));
            }

            foreach (var seed in seeds)
            {
                check(seed);
            }
        }

        /// <summary>The files of a folder below the repository root, sorted (none when it does not exist).</summary>
        public static string[] Files(params string[] folder)
        {
            var path = RepoPaths.Combine(folder);
            return Directory.Exists(path) ? Directory.GetFiles(path).OrderBy(f => f, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
        }

        /// <summary>A frame as readable text: printable ASCII as is, every other byte as \xNN.</summary>
        public static string Show(byte[] frame) =>
            frame.Length + " bytes: " + string.Concat(frame.Select(b => b is >= 0x20 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : "\\x" + b.ToString("x2", CultureInfo.InvariantCulture)));

        private static long? Setting(string name) =>
            long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
