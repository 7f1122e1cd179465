namespace Irrigation.Core.Settings
{
    /// <summary>
    /// Keeps the last applied settings in flash so that they survive a reboot, and a power cut in the middle of
    /// saving them: two slot files taking turns, each with a generation, the server's version and a CRC-32 of the
    /// settings text, read back after writing (<see cref="SlotFile"/>):
    /// <code>{"generation":5,"version":8,"crc32":"89abcdef","settings":{...}}</code>
    /// At boot the intact slot with the higher generation wins; a torn or corrupt slot is passed over, so the
    /// settings that ran before are what the board boots with.
    /// </summary>
    public sealed class SettingsStore
    {
        private readonly SlotFile _slots;

        /// <summary>A store over <paramref name="files"/> with its two slot files (e.g. <c>I:\settings-a.json</c>, <c>I:\settings-b.json</c>).</summary>
        public SettingsStore(IFlashFiles files, string slotAPath, string slotBPath)
        {
            _slots = new SlotFile(files, slotAPath, slotBPath, "settings");
        }

        /// <summary>
        /// What the last <see cref="Load"/> found wrong with a slot (torn, corrupt, unreadable), for the boot log;
        /// null when both slots were intact or absent.
        /// </summary>
        public string Problems
        {
            get { return _slots.Problems; }
        }

        /// <summary>The newest intact settings, or null when no slot holds any (the board runs its file alone).</summary>
        public StoredSettings Load()
        {
            return _slots.Load();
        }

        /// <summary>
        /// Stores <paramref name="settingsJson"/> as version <paramref name="version"/> in the older slot and
        /// checks it reads back intact. Returns null when the settings are safely in flash, otherwise why not
        /// (the newest settings stored before are untouched either way).
        /// </summary>
        public string Save(int version, string settingsJson)
        {
            return _slots.Save(version, settingsJson);
        }
    }
}
