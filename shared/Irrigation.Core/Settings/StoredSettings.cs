namespace Irrigation.Core.Settings
{
    /// <summary>
    /// Settings as the <see cref="SettingsStore"/> found them in flash: intact, with their version. (The water
    /// ledger's store reads its slots into the same shape: <see cref="Text"/> is then the ledger.)
    /// </summary>
    public sealed class StoredSettings
    {
        internal StoredSettings(int version, string text, int generation, string path, string crc)
        {
            Crc = crc;
            Version = version;
            Text = text;
            Generation = generation;
            Path = path;
        }

        /// <summary>The server's version of these settings (what hello reports as settings_version).</summary>
        public int Version { get; private set; }

        /// <summary>The settings object's JSON text, as the server sent it.</summary>
        public string Text { get; private set; }

        /// <summary>Counts the saves on this board: the slot with the higher one is the newer.</summary>
        public int Generation { get; private set; }

        /// <summary>The slot file it came from.</summary>
        public string Path { get; private set; }

        /// <summary>The CRC-32 of <see cref="Text"/>'s UTF-8 bytes, as eight hex digits (checked when read).</summary>
        public string Crc { get; private set; }
    }
}
