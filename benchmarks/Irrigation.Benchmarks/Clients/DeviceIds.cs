using System.Globalization;

namespace Irrigation.Benchmarks.Clients;

/// <summary>The benchmark's devices: controller number i is device b-0000i, owned by the one user "bench".</summary>
public static class DeviceIds
{
    /// <summary>The user every benchmark device belongs to.</summary>
    public const string User = "bench";

    /// <summary>Device id of controller number <paramref name="index"/>.</summary>
    public static string Of(int index) => "b-" + index.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>The controller number in a frame's or a topic's "b-NNNNN", or -1.</summary>
    public static int IndexIn(ReadOnlySpan<byte> utf8)
    {
        var at = utf8.IndexOf("b-"u8);
        return at >= 0 && System.Buffers.Text.Utf8Parser.TryParse(utf8[(at + 2)..], out int index, out _) ? index : -1;
    }
}
