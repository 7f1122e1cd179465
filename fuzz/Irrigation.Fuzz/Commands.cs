using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SharpFuzz;

namespace Irrigation.Fuzz;

/// <summary>What the fuzz program does for each of its command lines (see Program.cs).</summary>
public static class Commands
{
    // Seeds larger than this slow afl-fuzz down for nothing (the limits under test are far smaller).
    private const int MaxSeedBytes = 8 * 1024;

    /// <summary>Prints the target names, one a line.</summary>
    public static int List()
    {
        foreach (var target in FuzzTarget.All)
        {
            Console.WriteLine(target.Name);
        }

        return 0;
    }

    /// <summary>Copies every seed file of the target (deduplicated by content) into <paramref name="dir"/>.</summary>
    public static int Seed(string name, string repo, string dir)
    {
        if (FuzzTarget.Find(name) is not { } target)
        {
            return Unknown(name);
        }

        Directory.CreateDirectory(dir);
        var seen = new HashSet<string>();
        foreach (var folder in target.SeedFolders)
        {
            var path = Path.Combine(repo, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(file);
                if (bytes.Length <= MaxSeedBytes && Path.GetExtension(file) is ".json" or ".txt" && seen.Add(Convert.ToHexString(bytes)))
                {
                    // to-server/invalid/bad_json--empty.txt -> to-server-invalid-bad_json--empty.txt (names repeat across folders).
                    var relative = Path.GetRelativePath(path, file).Replace(Path.DirectorySeparatorChar, '-');
                    File.WriteAllBytes(Path.Combine(dir, relative), bytes);
                }
            }
        }

        Console.WriteLine($"{name}: {seen.Count} seeds");
        return seen.Count > 0 ? 0 : 1;
    }

    /// <summary>Runs the target under afl-fuzz; every exception out of the check is a crash.</summary>
    public static int Fuzz(string name)
    {
        if (FuzzTarget.Find(name) is not { } target)
        {
            return Unknown(name);
        }

        // Out of process: a hang or a stack overflow kills only the child, which SharpFuzz restarts, so afl-fuzz
        // records it and carries on.
        var log = Environment.GetEnvironmentVariable("IRRIGATION_FUZZ_LOG");
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var input = new MemoryStream();
            stream.CopyTo(input);
            try
            {
                target.Check(input.ToArray());
            }
            catch (Exception e) when (log is not null)
            {
                File.AppendAllText(log, $"{Convert.ToHexString(input.ToArray())}\n{e}\n\n");
                throw;
            }
        });
        return 0;
    }

    /// <summary>Runs the target on each file (folders: each file in them) and prints what broke.</summary>
    public static int Replay(string name, string[] paths)
    {
        if (FuzzTarget.Find(name) is not { } target)
        {
            return Unknown(name);
        }

        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Check(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }

        Console.WriteLine($"{name}: {files.Count} inputs, {failed} broke a rule");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Prints, per target, the line and branch coverage of its sources in the Cobertura reports (of the tests that
    /// replay each target's corpus, fuzz/run.sh); a line counts as covered when any report covers it.
    /// </summary>
    public static int Coverage(string[] reports)
    {
        var lines = new Dictionary<(string File, int Line), (bool Hit, int Branches, int BranchesHit)>();
        foreach (var report in reports)
        {
            foreach (var type in XDocument.Load(report).Descendants("class"))
            {
                var file = ((string?)type.Attribute("filename") ?? "").Replace('\\', '/');
                foreach (var line in type.Elements("lines").Elements("line"))
                {
                    var key = (file, (int)line.Attribute("number")!);
                    var (branches, branchesHit) = Branches((string?)line.Attribute("condition-coverage"));
                    lines.TryGetValue(key, out var seen);
                    lines[key] = (seen.Hit || (int)line.Attribute("hits")! > 0, Math.Max(seen.Branches, branches), Math.Max(seen.BranchesHit, branchesHit));
                }
            }
        }

        foreach (var target in FuzzTarget.All)
        {
            foreach (var source in target.Sources)
            {
                var mine = lines.Where(l => l.Key.File.EndsWith("/" + source, StringComparison.Ordinal)).Select(l => l.Value).ToList();
                Console.WriteLine(mine.Count == 0
                    ? $"  {target.Name,-15} {Path.GetFileName(source)}: not in the reports"
                    : $"  {target.Name,-15} {Path.GetFileName(source)}: lines {Share(mine.Count(l => l.Hit), mine.Count)}, branches {Share(mine.Sum(l => l.BranchesHit), mine.Sum(l => l.Branches))}");
            }
        }

        return 0;
    }

    /// <summary>Prints how to call the program.</summary>
    public static int Usage()
    {
        Console.Error.WriteLine("usage: Irrigation.Fuzz list | seed TARGET REPO DIR | coverage COBERTURA... | TARGET | TARGET FILE|DIR...");
        return 2;
    }

    // condition-coverage="50% (1/2)" -> (2, 1)
    private static (int Total, int Hit) Branches(string? conditionCoverage)
    {
        var match = conditionCoverage is null ? Match.Empty : Regex.Match(conditionCoverage, @"\((\d+)/(\d+)\)");
        return match.Success ? (int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) : (0, 0);
    }

    private static string Share(int part, int whole) => whole == 0 ? "none" : $"{part}/{whole} ({100.0 * part / whole:F0} %)";

    private static int Unknown(string name)
    {
        Console.Error.WriteLine($"unknown target '{name}'; the targets: {string.Join(", ", FuzzTarget.All.Select(t => t.Name))}");
        return 2;
    }
}
