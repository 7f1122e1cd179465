using System.Text;
using Irrigation.Core.Settings;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>
/// A behavioural model of nanoFramework's flash file API as the settings store uses it, with power cuts.
/// It imitates nanoframework/System.IO.FileSystem <c>System.IO.FileSystem/File.cs</c>: <c>WriteAllText</c> is
/// <c>WriteAllBytes(path, UTF8.GetBytes(text))</c>, which first calls <c>Create(path)</c> (FileMode.Create: the
/// file exists and is empty from then on) and then writes the bytes in 2048-byte chunks, each followed by
/// <c>Flush()</c>; <c>ReadAllText</c> decodes the whole file as UTF-8; <c>Exists</c> is false for a missing file.
/// Each of those steps reaches the flash on its own, and a flash page may be torn by a cut in the middle of a chunk,
/// so a write is modelled as: truncate, then for each chunk its first half and its second half. A power cut before
/// step k (<see cref="CutBeforeStep"/>) leaves exactly the first k steps in flash and throws
/// <see cref="PowerCut"/> (on the board nothing would run after it; the test "reboots" by building new objects
/// over the same <see cref="FlashModel"/>).
/// </summary>
public sealed class FlashModel : IFlashFiles
{
    /// <summary>nanoFramework's <c>File</c> write chunk (ChunkSize).</summary>
    public const int ChunkBytes = 2048;

    private readonly Dictionary<string, byte[]> _files = new();
    private int _steps;

    /// <summary>Cut the power before this many more write steps have happened; -1 = never (set it back after a cut test).</summary>
    public int CutBeforeStep { get; set; } = -1;

    /// <summary>Write steps that reached the flash since the model was made.</summary>
    public int StepsDone => _steps;

    /// <summary>Writes fail with this I/O error (a worn or full flash), or null.</summary>
    public string? FailWrites { get; set; }

    /// <summary>When set, the flash silently keeps the old bytes of a write (a failing page).</summary>
    public bool DropWrites { get; set; }

    public sealed class PowerCut : Exception
    {
        public PowerCut() : base("power cut") { }
    }

    /// <summary>How many steps a write of <paramref name="text"/> takes (for cutting at each one).</summary>
    public static int StepsToWrite(string text)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        return 1 + 2 * ((bytes + ChunkBytes - 1) / ChunkBytes);
    }

    public string? ReadText(string path) =>
        _files.TryGetValue(path, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    public void WriteText(string path, string text)
    {
        if (FailWrites != null)
        {
            throw new IOException(FailWrites);
        }

        if (DropWrites)
        {
            return;
        }

        byte[] content = Encoding.UTF8.GetBytes(text);
        Step(() => _files[path] = Array.Empty<byte>());
        for (int at = 0; at < content.Length; at += ChunkBytes)
        {
            int chunk = Math.Min(ChunkBytes, content.Length - at);
            int half = chunk / 2;
            int start = at;
            Step(() => _files[path] = content[..(start + half)]);
            Step(() => _files[path] = content[..(start + chunk)]);
        }
    }

    /// <summary>Flips the lowest bit of one stored byte (flash wear): a digit stays a digit, so the JSON stays valid.</summary>
    public void FlipBit(string path, int byteIndex)
    {
        _files[path][byteIndex] ^= 0x01;
    }

    public bool Exists(string path) => _files.ContainsKey(path);

    private void Step(Action mutation)
    {
        if (CutBeforeStep == 0)
        {
            CutBeforeStep = -1;
            throw new PowerCut();
        }

        mutation();
        _steps++;
        if (CutBeforeStep > 0)
        {
            CutBeforeStep--;
        }
    }
}
