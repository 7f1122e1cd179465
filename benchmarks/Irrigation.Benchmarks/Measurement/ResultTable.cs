using System.Text;

namespace Irrigation.Benchmarks.Measurement;

/// <summary>A titled table printed aligned on the console and appended as markdown to the results file.</summary>
public sealed class ResultTable(string title, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Notes printed under the table.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Adds a row (as many cells as headers).</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Prints to the console and appends to the markdown file.</summary>
    public void Emit(string markdownFile)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var console = new StringBuilder().Append('\n').Append("== ").Append(title).Append(" ==\n");
        console.Append(string.Join("  ", headers.Select((h, i) => h.PadLeft(widths[i])))).Append('\n');
        foreach (var r in _rows)
        {
            console.Append(string.Join("  ", r.Select((c, i) => c.PadLeft(widths[i])))).Append('\n');
        }

        foreach (var n in Notes)
        {
            console.Append("  ").Append(n).Append('\n');
        }

        Console.Write(console.ToString());
        var md = new StringBuilder().Append("\n### ").Append(title).Append("\n\n");
        md.Append("| ").Append(string.Join(" | ", headers)).Append(" |\n");
        md.Append('|').Append(string.Concat(headers.Select(_ => " ---: |"))).Append('\n');
        foreach (var r in _rows)
        {
            md.Append("| ").Append(string.Join(" | ", r)).Append(" |\n");
        }

        foreach (var n in Notes)
        {
            md.Append('\n').Append(n).Append('\n');
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdownFile))!);
        File.AppendAllText(markdownFile, md.ToString());
    }

    /// <summary>The invariant culture, for every number in a table.</summary>
    public static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>Microseconds as milliseconds with two decimals.</summary>
    public static string Ms(long micros) => (micros / 1000.0).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A number with no decimals.</summary>
    public static string N(double v) => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Bytes as MiB.</summary>
    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
