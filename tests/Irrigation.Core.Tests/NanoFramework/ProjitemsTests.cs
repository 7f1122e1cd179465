using System.Text.RegularExpressions;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.NanoFramework;

/// <summary>The device build sees only what the .projitems lists, so the list must match the folder.</summary>
public class ProjitemsTests
{
    [Fact]
    public void Projitems_CompileItems_MatchEverySourceInTheFolder()
    {
        string folder = RepoPaths.Combine("shared", "Irrigation.Core");
        string projitems = File.ReadAllText(Path.Combine(folder, "Irrigation.Core.projitems"));
        var listed = Regex.Matches(projitems, @"\$\(MSBuildThisFileDirectory\)([^""]+\.cs)")
            .Select(m => m.Groups[1].Value.Replace('\\', '/'))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        var onDisk = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("bin/", StringComparison.Ordinal) && !p.StartsWith("obj/", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(onDisk, listed);
    }
}
