using System.IO;
using System.Text;
using Irrigation.Core.Settings;

namespace Irrigation.Firmware.Settings
{
    /// <summary>
    /// The board's flash files for the core (<see cref="SettingsStore"/>, the configuration file), on
    /// nanoFramework's <c>System.IO.File</c> (nanoframework/System.IO.FileSystem File.cs). The internal drive
    /// <c>I:</c> is a littlefs partition next to nanoCLR's own configuration (nf-interpreter
    /// targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv). Every exception reaches the caller: the store turns
    /// it into "unreadable" or "could not write", and a write that a power cut tears is the store's problem
    /// by design (two slots, a CRC each), not this adapter's.
    /// </summary>
    public sealed class FlashFiles : IFlashFiles
    {
        /// <summary>
        /// The file's text, or null when there is no such file. Read as bytes and decoded once:
        /// <c>File.ReadAllText</c> would go through a StreamReader that decodes into a char array as long as the
        /// file is in bytes, then copy that into the string (one more copy of a settings slot on a small heap).
        /// </summary>
        public string ReadText(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            byte[] bytes = File.ReadAllBytes(path);
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        /// <summary>
        /// Replaces the file with <paramref name="text"/> as UTF-8. <c>File.WriteAllText</c> truncates an existing
        /// file first and then writes the bytes in one go: a power cut in between leaves it empty or cut short.
        /// </summary>
        public void WriteText(string path, string text)
        {
            File.WriteAllText(path, text);
        }
    }
}
