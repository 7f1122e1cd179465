using System.Text.Json;
using Irrigation.Core.Settings;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Settings;

public class SettingsStoreTests
{
    private const string A = @"I:\settings-a.json";
    private const string B = @"I:\settings-b.json";

    // Big enough for several 2048-byte chunks, with non-ASCII text (UTF-8 is what the CRC covers).
    private static string Settings(int version) =>
        "{\"seasonal_percent\":" + (60 + version) + ",\"zones\":[" + string.Join(",", Enumerable.Range(0, 16).Select(i =>
            "{\"name\":\"z" + i + "\",\"max_duration\":1800,\"soil_probe\":-1,\"dry\":300,\"wet\":450,\"run\":600,\"min_interval\":3600,\"cycle\":300,\"soak\":1200,\"note\":\"caf\u00e9 \u2603 " + new string('x', 200) + "\"}")) + "]}";

    [Fact]
    public void Load_NothingStored_Null()
    {
        var store = new SettingsStore(new FlashModel(), A, B);

        Assert.Null(store.Load());
        Assert.Null(store.Problems);
    }

    [Fact]
    public void Save_ThenLoadOnANewStore_SameVersionAndText()
    {
        var flash = new FlashModel();
        Assert.Null(new SettingsStore(flash, A, B).Save(7, Settings(7)));

        var loaded = new SettingsStore(flash, A, B).Load();

        Assert.NotNull(loaded);
        Assert.Equal(7, loaded.Version);
        Assert.Equal(Settings(7), loaded.Text);
        Assert.Equal(A, loaded.Path);
    }

    [Fact]
    public void Save_ThreeTimes_SlotsTakeTurnsNewestWins()
    {
        var flash = new FlashModel();
        var store = new SettingsStore(flash, A, B);
        store.Load();

        Assert.Null(store.Save(1, "{}"));
        Assert.Null(store.Save(2, "{\"dht_interval\":20}"));
        Assert.Null(store.Save(3, "{\"dht_interval\":40}"));

        var loaded = new SettingsStore(flash, A, B).Load()!;
        Assert.Equal((3, A, 3), (loaded.Version, loaded.Path, loaded.Generation));
        Assert.Contains("\"version\":2", flash.ReadText(B));
    }

    [Fact]
    public void Save_ServerVersionsStartOver_NewestSaveWinsNotHighestVersion()
    {
        // A server whose database was reset counts from 1 again: the board must run what it applied last.
        var flash = new FlashModel();
        var store = new SettingsStore(flash, A, B);
        store.Save(8, "{\"dht_interval\":20}");

        store.Save(1, "{}");

        Assert.Equal(1, new SettingsStore(flash, A, B).Load()!.Version);
    }

    [Fact]
    public void Slot_FileFormat_IsJsonWithGenerationVersionCrcAndTheSettings()
    {
        var flash = new FlashModel();
        new SettingsStore(flash, A, B).Save(4, "{\"seasonal_percent\":80}");

        using var doc = JsonDocument.Parse(flash.ReadText(A)!);

        Assert.Equal(1, doc.RootElement.GetProperty("generation").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("version").GetInt32());
        // CRC-32/IEEE of the UTF-8 bytes, as zlib and PNG compute it (Python: format(zlib.crc32(b'...'), '08x')).
        Assert.Equal("0db70e2f", doc.RootElement.GetProperty("crc32").GetString());
        Assert.Equal(80, doc.RootElement.GetProperty("settings").GetProperty("seasonal_percent").GetInt32());
    }

    public static TheoryData<bool> BothSlotsUsed => new() { false, true };

    /// <summary>The acceptance test: a power cut at every step of the write leaves the old settings or the new, never neither.</summary>
    [Theory]
    [MemberData(nameof(BothSlotsUsed))]
    public void Save_PowerCutAtEveryStep_OldSettingsOrNewNeverNone(bool bothSlotsUsed)
    {
        string next = Settings(8);
        int steps = FlashModel.StepsToWrite("{\"generation\":9,\"version\":8,\"crc32\":\"00000000\",\"settings\":" + next + "}");
        Assert.True(steps >= 7, $"only {steps} steps: the text should span several chunks");

        for (int cut = 0; cut <= steps; cut++)
        {
            var flash = new FlashModel();
            var before = new SettingsStore(flash, A, B);
            if (bothSlotsUsed)
            {
                Assert.Null(before.Save(6, Settings(6)));
            }

            Assert.Null(before.Save(7, Settings(7)));
            var board = new SettingsStore(flash, A, B);
            board.Load();

            flash.CutBeforeStep = cut;
            bool finished = board.Save(8, next) == null;
            flash.CutBeforeStep = -1;

            // Reboot: a new store over what reached the flash.
            var rebooted = new SettingsStore(flash, A, B);
            var loaded = rebooted.Load();
            Assert.NotNull(loaded);
            Assert.True(loaded.Version is 7 or 8, $"cut {cut}: version {loaded.Version}");
            Assert.Equal(loaded.Version == 8 ? next : Settings(7), loaded.Text);
            Assert.Equal(cut >= steps, finished);
            if (cut == steps)
            {
                Assert.Equal(8, loaded.Version);
            }
            else if (cut > 0)
            {
                Assert.Equal(7, loaded.Version);
                Assert.Contains("not intact", rebooted.Problems);
            }

            // And the board can save again after the cut, without touching the slot it runs.
            Assert.Null(rebooted.Save(9, Settings(9)));
            Assert.Equal(9, new SettingsStore(flash, A, B).Load()!.Version);
        }
    }

    [Fact]
    public void Load_BitFlippedInNewestSlot_OlderSlotUsedAndProblemNamed()
    {
        var flash = new FlashModel();
        var store = new SettingsStore(flash, A, B);
        store.Save(1, "{\"dht_interval\":20}");
        store.Save(2, "{\"dht_interval\":40}");
        int inSettings = flash.ReadText(B)!.IndexOf("40", StringComparison.Ordinal);

        flash.FlipBit(B, inSettings);
        var rebooted = new SettingsStore(flash, A, B);
        var loaded = rebooted.Load();

        Assert.Equal(1, loaded!.Version);
        Assert.Equal(B + ": not intact (checksum mismatch), passed over", rebooted.Problems);
    }

    [Fact]
    public void Load_BothSlotsBroken_NullWithBothNamed()
    {
        var flash = new FlashModel();
        flash.WriteText(A, "{\"generation\":1,\"ver");
        flash.WriteText(B, "");

        var store = new SettingsStore(flash, A, B);

        Assert.Null(store.Load());
        Assert.Equal(A + ": not intact (cut short or not JSON), passed over; " + B + ": not intact (empty), passed over", store.Problems);
    }

    [Fact]
    public void Save_WriteThrows_ErrorAndOldSettingsKept()
    {
        var flash = new FlashModel();
        var store = new SettingsStore(flash, A, B);
        store.Save(1, "{}");
        flash.FailWrites = "no space left";

        string? error = store.Save(2, "{\"dht_interval\":40}");

        Assert.Equal("could not write " + B + ": no space left", error);
        Assert.Equal(1, new SettingsStore(flash, A, B).Load()!.Version);
    }

    [Fact]
    public void Save_FlashKeepsOldBytes_ReadBackCatchesIt()
    {
        var flash = new FlashModel();
        var store = new SettingsStore(flash, A, B);
        store.Save(1, "{}");
        store.Save(2, "{\"dht_interval\":40}");
        flash.DropWrites = true;

        string? error = store.Save(3, "{\"dht_interval\":60}");

        Assert.StartsWith(A + " did not read back intact", error);
        Assert.Equal(2, new SettingsStore(flash, A, B).Load()!.Version);
    }

    [Fact]
    public void Save_BeforeLoad_NeverOverwritesTheNewestSlot()
    {
        var flash = new FlashModel();
        var first = new SettingsStore(flash, A, B);
        first.Save(1, "{}");
        first.Save(2, "{\"dht_interval\":40}");

        flash.CutBeforeStep = 2;
        Assert.Equal("could not write " + A + ": power cut", new SettingsStore(flash, A, B).Save(3, Settings(3)));
        flash.CutBeforeStep = -1;

        Assert.Equal(2, new SettingsStore(flash, A, B).Load()!.Version);
    }

    // Expected values from zlib (Python: format(zlib.crc32(text.encode('utf-8')), '08x')); 123456789 is the CRC's check value.
    [Theory]
    [InlineData("", "00000000")]
    [InlineData("123456789", "cbf43926")]
    [InlineData("caf\u00e9 \u2603 \ud83d\ude00", "bac4c9a2")]
    public void Crc32_MatchesZlibOverUtf8(string text, string expected)
    {
        Assert.Equal(expected, Crc32.ToHex(Crc32.Of(text, 0, text.Length)));
    }

    [Fact]
    public void Crc32_Range_OnlyThoseCharacters()
    {
        Assert.Equal("cbf43926", Crc32.ToHex(Crc32.Of("xx123456789yy", 2, 9)));
    }
}
