using System.IO;
using Irrigation.Core.Settings;
using Irrigation.Firmware.Settings;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Settings
{
    /// <summary>FlashFiles (the firmware's adapter) and the core's SettingsStore over it, on the model of drive I: (Models/FileSystemModel.cs).</summary>
    public class FlashFilesTests : ModelTest
    {
        private const string SlotA = @"I:\settings-a.json";
        private const string SlotB = @"I:\settings-b.json";

        private static string Settings(int seasonalPercent) =>
            "{\"zones\":[{\"name\":\"beds\"},{\"name\":\"lawn\",\"cycle\":300}],\"seasonal_percent\":" + seasonalPercent + ",\"note\":\"Gemüse – été\"}";

        [Fact]
        public void ReadText_NoSuchFile_IsNull()
        {
            Assert.Null(new FlashFiles().ReadText(SlotA));
        }

        [Fact]
        public void WriteText_ThenReadText_GivesTheSameTextWithNonAsciiCharacters()
        {
            var files = new FlashFiles();

            files.WriteText(SlotA, Settings(80));

            Assert.Equal(Settings(80), files.ReadText(SlotA));
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(Settings(80)), ModelFlash.Bytes(SlotA));
        }

        [Fact]
        public void WriteText_OverALongerFile_LeavesNothingOfTheOldTail()
        {
            var files = new FlashFiles();
            files.WriteText(SlotA, new string('x', 3000));

            files.WriteText(SlotA, "{}");

            Assert.Equal("{}", files.ReadText(SlotA));
        }

        [Fact]
        public void ReadText_DriveNotMounted_Throws()
        {
            // The store turns this into "unreadable, passed over" (SettingsStore.ReadSlot).
            Assert.Throws<IOException>(() => new FlashFiles().ReadText(@"D:\settings-a.json"));
        }

        [Fact]
        public void Store_OverFlashFiles_SavedSettingsLoadAfterAReboot()
        {
            Assert.Null(new SettingsStore(new FlashFiles(), SlotA, SlotB).Save(7, Settings(80)));

            StoredSettings loaded = new SettingsStore(new FlashFiles(), SlotA, SlotB).Load();

            Assert.Equal(7, loaded.Version);
            Assert.Equal(Settings(80), loaded.Text);
        }

        [Fact]
        public void Store_OverFlashFiles_PowerCutAtEveryPointOfTheWrite_BootsTheSettingsBeforeOrTheNewOnesWhole()
        {
            // Slot A holds version 7, slot B version 8 (newer): the next save overwrites A, an existing file.
            Assert.Null(new SettingsStore(new FlashFiles(), SlotA, SlotB).Save(7, Settings(80)));
            Assert.Null(new SettingsStore(new FlashFiles(), SlotA, SlotB).Save(8, Settings(100)));
            byte[] slotA = ModelFlash.Bytes(SlotA);
            byte[] slotB = ModelFlash.Bytes(SlotB);
            int newSlotBytes = SlotBytes(Settings(120), version: 9, generation: 3);

            for (int cut = ModelFlash.BeforeTruncate; cut <= newSlotBytes; cut++)
            {
                ModelFlash.Deploy(SlotA, slotA);
                ModelFlash.Deploy(SlotB, slotB);
                var store = new SettingsStore(new FlashFiles(), SlotA, SlotB);
                Assert.Equal(8, store.Load().Version);
                ModelFlash.PowerCutAt = cut;

                Assert.NotNull(store.Save(9, Settings(120)));   // the write threw: on the board nothing ran after it

                StoredSettings booted = new SettingsStore(new FlashFiles(), SlotA, SlotB).Load();
                if (cut < newSlotBytes)
                {
                    Assert.True(booted.Version == 8 && booted.Text == Settings(100), "cut after " + cut + " bytes booted version " + booted.Version);
                }
                else
                {
                    // Every byte reached the flash before the power went: the new settings, whole.
                    Assert.True(booted.Version == 9 && booted.Text == Settings(120), "complete write booted version " + booted.Version);
                }
            }
        }

        private static int SlotBytes(string settings, int version, int generation)
        {
            string crc = Crc32.ToHex(Crc32.Of(settings, 0, settings.Length));
            string slot = "{\"generation\":" + generation + ",\"version\":" + version + ",\"crc32\":\"" + crc + "\",\"settings\":" + settings + "}";
            return System.Text.Encoding.UTF8.GetByteCount(slot);
        }
    }
}
