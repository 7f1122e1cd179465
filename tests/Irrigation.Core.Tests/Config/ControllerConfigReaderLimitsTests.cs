using Irrigation.Core.Config;
using Irrigation.Fuzz;

namespace Irrigation.Core.Tests.Config;

/// <summary>
/// A damaged config file with thousands of entries or keys (found by the config reader's property test: it used
/// about 180 bytes per character of such a file, a megabyte for a 6 KB file, more than a board's heap).
/// </summary>
public class ControllerConfigReaderLimitsTests
{
    private const string Required = "\"device\":\"farm-01\",\"token\":\"t\",\"server\":\"ws://h/\"";

    [Theory]
    [InlineData("zones", "{}", "zones: at most 16 zones")]
    [InlineData("zones", "1", "zones[0]: must be an object")]
    [InlineData("soil", "{}", "soil: at most 8 probes")]
    [InlineData("schedules", "{}", "schedules[0].zone: missing")]
    public void Read_ListOfThousandsOfEntries_RefusedWithinTheAllocationBound(string list, string entry, string error)
    {
        var text = "{" + Required + ",\"" + list + "\":[" + string.Join(",", Enumerable.Repeat(entry, 3000)) + "]}";

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = ControllerConfigReader.Read(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(result.IsValid);
        Assert.Contains(error, result.Errors);
        Assert.True(allocated <= AllocationBound.ControllerConfigReader.For(text.Length), $"{allocated} bytes for {text.Length} characters");
    }

    [Fact]
    public void Read_SeventeenZones_KeptForValidationWhichNamesTheLimit()
    {
        var zones = string.Join(",", Enumerable.Range(1, 40).Select(i => $"{{\"name\":\"z{i}\"}}"));

        var result = ControllerConfigReader.Read("{" + Required + ",\"zones\":[" + zones + "]}");

        Assert.Equal(["zones: at most 16 zones"], result.Errors);
    }

    [Fact]
    public void Read_ThousandsOfUnknownKeys_ListsTheFirstWarningsAndCountsTheRest()
    {
        var keys = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"k{i}\":0"));

        var result = ControllerConfigReader.Read("{" + Required + "," + keys + "}");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(ControllerConfigReader.MaxMessages, result.Warnings.Length);
        Assert.Equal("k0: unknown key, ignored", result.Warnings[0]);
        Assert.Equal($"... and {1000 - (ControllerConfigReader.MaxMessages - 1)} more warnings", result.Warnings[^1]);
    }

    [Fact]
    public void Read_ThousandsOfBadValues_ListsTheFirstErrorsAndCountsTheRest()
    {
        var values = string.Join(",", Enumerable.Repeat("\"max_duration\":\"x\"", 600));

        var result = ControllerConfigReader.Read("{" + Required + ",\"zones\":[{" + values + "}]}");

        Assert.Equal(ControllerConfigReader.MaxMessages, result.Errors.Length);
        Assert.Equal("zones[0].max_duration: must be a whole number", result.Errors[0]);
        Assert.Matches(@"^\.\.\. and [0-9]+ more errors$", result.Errors[^1]);
    }
}
