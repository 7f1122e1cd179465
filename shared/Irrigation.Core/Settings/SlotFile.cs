using System;
using Irrigation.Core.Protocol;

namespace Irrigation.Core.Settings
{
    /// <summary>
    /// One JSON object kept in flash so that it survives a reboot, and a power cut in the middle of saving it. Two
    /// slot files take turns: a save writes the slot that does NOT hold the newest intact object, then reads it
    /// back; each slot carries a generation (one more than the newest at the time of the save), a version and a
    /// CRC-32 of the object's text, under the payload key the owner chose:
    /// <code>{"generation":5,"version":8,"crc32":"89abcdef","settings":{...}}</code>
    /// At boot the intact slot with the higher generation wins. A torn or corrupt slot fails its parse or its CRC
    /// and is passed over, so the other slot (what was saved before) is what the board boots with.
    /// Why not "write a temp file and rename it over": nanoFramework's <c>File.Move</c> refuses an existing
    /// destination (IOException PathAlreadyExists, System.IO.FileSystem <c>File.cs</c>), so a rename needs a delete
    /// first, and a cut between the two leaves no file under the real name.
    /// Used by the <see cref="SettingsStore"/> and the water ledger's store (<c>Water.WaterStore</c>).
    /// </summary>
    internal sealed class SlotFile
    {
        private readonly IFlashFiles _files;
        private readonly string[] _paths;
        private readonly string _payloadKey;
        private readonly JsonReader _reader = new JsonReader();
        private bool _loaded;
        private int _newestSlot = -1;
        private int _newestGeneration;
        private string _problems;

        /// <summary>Two slot files over <paramref name="files"/>, the object under <paramref name="payloadKey"/>.</summary>
        public SlotFile(IFlashFiles files, string slotAPath, string slotBPath, string payloadKey)
        {
            if (files == null || slotAPath == null || slotBPath == null || slotAPath == slotBPath)
            {
                throw new ArgumentException("a file system and two different slot paths are needed");
            }

            _files = files;
            _paths = new string[] { slotAPath, slotBPath };
            _payloadKey = payloadKey;
        }

        /// <summary>
        /// What the last <see cref="Load"/> found wrong with a slot (torn, corrupt, unreadable), for the boot log;
        /// null when both slots were intact or absent.
        /// </summary>
        public string Problems
        {
            get { return _problems; }
        }

        /// <summary>The newest intact object, or null when no slot holds one.</summary>
        public StoredSettings Load()
        {
            _loaded = true;
            _problems = null;
            _newestSlot = -1;
            _newestGeneration = 0;
            StoredSettings newest = null;
            for (int slot = 0; slot < _paths.Length; slot++)
            {
                StoredSettings found = ReadSlot(slot, true);
                if (found != null && found.Generation > _newestGeneration)
                {
                    newest = found;
                    _newestSlot = slot;
                    _newestGeneration = found.Generation;
                }
            }

            return newest;
        }

        /// <summary>
        /// Stores <paramref name="payloadJson"/> (one JSON object) as version <paramref name="version"/> in the
        /// older slot and checks it reads back intact. Returns null when it is safely in flash, otherwise why not
        /// (the newest object stored before is untouched either way).
        /// </summary>
        public string Save(int version, string payloadJson)
        {
            if (!_loaded)
            {
                // Never write before knowing which slot holds the newest object.
                Load();
            }

            int target = _newestSlot == 0 ? 1 : 0;
            int generation = _newestGeneration + 1;
            string path = _paths[target];
            string crc = Crc32.ToHex(Crc32.Of(payloadJson, 0, payloadJson.Length));
            try
            {
                _files.WriteText(path, "{\"generation\":" + generation.ToString() + ",\"version\":" + version.ToString()
                    + ",\"crc32\":\"" + crc + "\",\"" + _payloadKey + "\":" + payloadJson + "}");
            }
            catch (Exception e)
            {
                return "could not write " + path + ": " + e.Message;
            }

            // Read back: the slot must parse and its object must match the CRC written for this text. The text
            // itself is not copied again (the CRC is computed over the slot's slice in place).
            _problems = null;
            StoredSettings back = ReadSlot(target, false);
            if (back == null || back.Generation != generation || back.Version != version || back.Crc != crc)
            {
                return path + " did not read back intact" + (_problems == null ? string.Empty : " (" + _problems + ")");
            }

            _newestSlot = target;
            _newestGeneration = generation;
            return null;
        }

        private StoredSettings ReadSlot(int slot, bool keepText)
        {
            string path = _paths[slot];
            string text;
            try
            {
                text = _files.ReadText(path);
            }
            catch (Exception e)
            {
                Problem(path + ": unreadable (" + e.Message + ")");
                return null;
            }

            if (text == null)
            {
                return null;
            }

            string why = null;
            StoredSettings found = Parse(text, path, keepText, ref why);
            // The slot's text (up to a settings frame) is not kept by the reader until the next load or save.
            _reader.Reset(null);
            if (found == null)
            {
                Problem(path + ": not intact (" + why + "), passed over");
            }

            return found;
        }

        private StoredSettings Parse(string text, string path, bool keepText, ref string why)
        {
            JsonReader r = _reader;
            r.Reset(text);
            long generation = 0;
            long version = 0;
            string crc = null;
            int payloadStart = -1;
            int payloadLength = 0;
            if (!r.Read() || r.Token != JsonToken.StartObject)
            {
                why = text.Length == 0 ? "empty" : "not a slot object";
                return null;
            }

            while (r.Read() && r.Token == JsonToken.PropertyName)
            {
                string name = r.StringValue;
                if (!r.Read())
                {
                    break;
                }

                if (name == "generation" && r.Token == JsonToken.Number && r.IsInteger)
                {
                    generation = r.IntegerValue;
                }
                else if (name == "version" && r.Token == JsonToken.Number && r.IsInteger)
                {
                    version = r.IntegerValue;
                }
                else if (name == "crc32" && r.Token == JsonToken.String)
                {
                    crc = r.StringValue;
                }
                else if (name == _payloadKey && r.Token == JsonToken.StartObject)
                {
                    payloadStart = r.Position - 1;
                    if (!r.Skip())
                    {
                        break;
                    }

                    payloadLength = r.Position - payloadStart;
                }
                else if (!r.Skip())
                {
                    break;
                }
            }

            if (r.Token == JsonToken.EndObject)
            {
                r.Read();
            }

            if (r.Token != JsonToken.None)
            {
                why = "cut short or not JSON";
                return null;
            }

            if (generation < 1 || generation > int.MaxValue || version < 1 || version > int.MaxValue || crc == null || payloadStart < 0)
            {
                why = "a field is missing";
                return null;
            }

            if (crc != Crc32.ToHex(Crc32.Of(text, payloadStart, payloadLength)))
            {
                why = "checksum mismatch";
                return null;
            }

            string payload = keepText ? text.Substring(payloadStart, payloadLength) : null;
            return new StoredSettings((int)version, payload, (int)generation, path, crc);
        }

        private void Problem(string text)
        {
            _problems = _problems == null ? text : _problems + "; " + text;
        }
    }
}
