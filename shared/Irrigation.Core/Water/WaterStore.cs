using Irrigation.Core.Settings;

namespace Irrigation.Core.Water
{
    /// <summary>
    /// Keeps the device's water ledger in flash (two slot files taking turns, like the settings:
    /// <code>{"generation":12,"version":1,"crc32":"…","water":{…}}</code>), so that a reboot or a power cut loses no
    /// run's volume: volumes not yet acknowledged by the server, the open runs' volume so far, the per-zone
    /// baselines and the leak lock. Give the controller one on the device (e.g. <c>I:\water-a.json</c> and
    /// <c>I:\water-b.json</c>); without one (the simulator) the ledger lives in RAM only.
    /// </summary>
    public sealed class WaterStore
    {
        /// <summary>The ledger's format version (the slot's <c>version</c>).</summary>
        internal const int FormatVersion = 1;

        private readonly SlotFile _slots;

        /// <summary>A store over <paramref name="files"/> with its two slot files.</summary>
        public WaterStore(IFlashFiles files, string slotAPath, string slotBPath)
        {
            _slots = new SlotFile(files, slotAPath, slotBPath, "water");
        }

        /// <summary>What the last load found wrong with a slot, or null.</summary>
        public string Problems
        {
            get { return _slots.Problems; }
        }

        /// <summary>The newest intact ledger's JSON text, or null when there is none (or only of another format).</summary>
        internal string Load()
        {
            StoredSettings stored = _slots.Load();
            return stored == null || stored.Version != FormatVersion ? null : stored.Text;
        }

        /// <summary>Stores the ledger's JSON text; null when it is safely in flash, otherwise why not.</summary>
        internal string Save(string ledgerJson)
        {
            return _slots.Save(FormatVersion, ledgerJson);
        }
    }
}
