using Irrigation.Core.Config;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.Config;

/// <summary>tests/vectors/settings: what the server's PUT and the device's settings frame both check.</summary>
public class SettingsVectorTests
{
    public static TheoryData<string> Valid => Files("valid", "*.json");

    public static TheoryData<string> Invalid => Files("invalid", "*.json");

    [Theory]
    [MemberData(nameof(Valid))]
    public void ReadSettings_ValidVector_NoErrors(string file)
    {
        var result = ControllerConfigReader.ReadSettings(File.ReadAllText(file), null, true);

        Assert.True(result.IsValid, Path.GetFileName(file) + ": " + string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ReadSettings_InvalidVector_ExactlyItsErrors(string file)
    {
        var expected = File.ReadAllLines(Path.ChangeExtension(file, ".errors")).Where(l => l.Length > 0).ToArray();

        var result = ControllerConfigReader.ReadSettings(File.ReadAllText(file), null, true);

        Assert.Equal(expected, result.Errors);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Folders_EveryInvalidVectorHasItsErrors()
    {
        var folder = Path.Combine(RepoPaths.Vectors, "settings", "invalid");

        Assert.NotEmpty(Directory.GetFiles(folder, "*.json"));
        Assert.All(Directory.GetFiles(folder, "*.json"), f => Assert.True(File.Exists(Path.ChangeExtension(f, ".errors")), f));
    }

    private static TheoryData<string> Files(string kind, string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "settings", kind), pattern).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }
}
