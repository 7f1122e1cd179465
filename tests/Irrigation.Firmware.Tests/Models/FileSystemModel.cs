// BEHAVIOURAL MODEL of nanoFramework.System.IO.FileSystem for the host tests.
// Imitates nanoframework/System.IO.FileSystem@434b26c (the commit /work/shared/nanoframework-api lists):
//   System.IO.FileSystem/File.cs  Exists is false for a missing file and never throws; ReadAllBytes and ReadAllText
//       open the file with FileMode.Open (IOException when it is missing); WriteAllText is
//       WriteAllBytes(path, UTF8.GetBytes(text)), which opens the file with FileMode.Create and writes the bytes
//       with ONE FileStream.Write; Delete of a missing file does nothing.
//   System.IO.FileSystem/FileStream.cs  CreateFile: an existing file is cut to 0 bytes (SetLength(0)) before
//       anything is written; NativeFileStream.cs BufferSizeDefault = 0 (writes go to the driver unbuffered).
// The internal drive I: is the littlefs "config" partition (nanoframework/nf-interpreter
// targets/ESP32/_IDF/esp32/partitions_nanoclr_4mb.csv, targets/ESP32/_common/targetHAL_ConfigStorageLittlefs.c),
// one per model board (ModelFlash). A power cut can be placed before the truncation or after any number of the
// new bytes: the worst a driver can leave (littlefs itself commits a file at close and would keep the old
// bytes; a FAT SD card would not). Other drive letters are not mounted.
// Paths that do not start with a drive letter are the HOST's disk: the tests and tests/TestSupport compile into
// this assembly and read the repository through the same name (with .NET's FileStream and FileInfo, which this
// file does not replace). Only the members below exist here: a test needing another one adds it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Irrigation.Firmware.Tests.Models;

namespace System.IO
{
    public static class File
    {
        public static bool Exists(string path)
        {
            if (!ModelFlash.IsDevicePath(path))
            {
                return path != null && new FileInfo(path).Exists;
            }

            return ModelFlash.Board.Read(path) != null;
        }

        public static byte[] ReadAllBytes(string path)
        {
            if (!ModelFlash.IsDevicePath(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray();
            }

            byte[] bytes = ModelFlash.Board.Read(path);
            if (bytes == null)
            {
                throw new IOException(string.Empty, unchecked((int)0xE2000000));   // IOExceptionErrorCode.FileNotFound
            }

            return (byte[])bytes.Clone();
        }

        public static string ReadAllText(string path)
        {
            if (!ModelFlash.IsDevicePath(path))
            {
                using var reader = new StreamReader(path, Encoding.UTF8);
                return reader.ReadToEnd();
            }

            // StreamReader.ReadToEnd decodes into a char[] as long as the file in bytes; nanoCLR's strings end at
            // the first NUL, so the unused tail never shows: the text is the decoded bytes.
            return Encoding.UTF8.GetString(ReadAllBytes(path));
        }

        public static void WriteAllText(string path, string contents)
        {
            WriteAllBytes(path, string.IsNullOrEmpty(contents) ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(contents));
        }

        public static void WriteAllBytes(string path, byte[] bytes)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException(nameof(bytes));
            }

            if (!ModelFlash.IsDevicePath(path))
            {
                using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
                stream.Write(bytes, 0, bytes.Length);
                return;
            }

            ModelFlash.Board.Write(path, bytes);
        }

        public static void Delete(string path)
        {
            if (!ModelFlash.IsDevicePath(path))
            {
                new FileInfo(path).Delete();
                return;
            }

            ModelFlash.Board.Delete(path);
        }
    }
}

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>The board's internal flash drive I: (one per model board; a <see cref="ModelBoard.Reboot"/> keeps it).</summary>
    public static class ModelFlash
    {
        /// <summary><see cref="PowerCutAt"/> value: no cut.</summary>
        public const int NoCut = int.MinValue;

        /// <summary><see cref="PowerCutAt"/> value: the power goes before the file is truncated (nothing changes).</summary>
        public const int BeforeTruncate = -1;

        internal static State Board => ModelBoard.Current.Flash;

        /// <summary>
        /// The next write to I: loses power: <see cref="BeforeTruncate"/>, or after this many of its new bytes
        /// (0 = right after the truncation). The file keeps what reached the flash and the write throws
        /// <see cref="PowerCut"/>; the test then reboots the board. One cut per setting.
        /// </summary>
        public static int PowerCutAt
        {
            get { State s = Board; lock (s.Lock) { return s.CutAt; } }
            set { State s = Board; lock (s.Lock) { s.CutAt = value; } }
        }

        /// <summary>Writes to I: fail with this I/O error (worn or full flash), or null.</summary>
        public static string FailWrites
        {
            get { State s = Board; lock (s.Lock) { return s.FailWrites; } }
            set { State s = Board; lock (s.Lock) { s.FailWrites = value; } }
        }

        /// <summary>Completed writes to I: so far.</summary>
        public static int Writes
        {
            get { State s = Board; lock (s.Lock) { return s.Writes; } }
        }

        /// <summary>The bytes of a file on I:, or null.</summary>
        public static byte[] Bytes(string path)
        {
            byte[] bytes = Board.Read(path);
            return bytes == null ? null : (byte[])bytes.Clone();
        }

        /// <summary>A file's text (UTF-8), or null.</summary>
        public static string Text(string path)
        {
            byte[] bytes = Board.Read(path);
            return bytes == null ? null : Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Puts a file on I: as nanoff --filedeployment would.</summary>
        public static void Deploy(string path, string text)
        {
            Deploy(path, Encoding.UTF8.GetBytes(text));
        }

        /// <summary>Puts a file on I: with exactly these bytes.</summary>
        public static void Deploy(string path, byte[] bytes)
        {
            Board.Put(path, (byte[])bytes.Clone());
        }

        internal static bool IsDevicePath(string path)
        {
            return path != null && path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] == '\\';
        }

        /// <summary>The power went in the middle of a write: on the board nothing runs after it.</summary>
        public sealed class PowerCut : Exception
        {
            public PowerCut() : base("power cut during a flash write")
            {
            }
        }

        /// <summary>One board's flash.</summary>
        internal sealed class State
        {
            public readonly object Lock = new object();
            private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            public int CutAt = NoCut;
            public string FailWrites;
            public int Writes;

            public byte[] Read(string path)
            {
                Mounted(path);
                lock (Lock)
                {
                    return _files.TryGetValue(path, out byte[] bytes) ? bytes : null;
                }
            }

            public void Put(string path, byte[] bytes)
            {
                Mounted(path);
                lock (Lock)
                {
                    _files[path] = bytes;
                }
            }

            public void Delete(string path)
            {
                Mounted(path);
                lock (Lock)
                {
                    _files.Remove(path);
                }
            }

            public void Write(string path, byte[] bytes)
            {
                Mounted(path);
                lock (Lock)
                {
                    if (FailWrites != null)
                    {
                        throw new IOException(FailWrites);
                    }

                    int cut = CutAt;
                    CutAt = NoCut;
                    if (cut == BeforeTruncate)
                    {
                        throw new PowerCut();
                    }

                    if (cut != NoCut)
                    {
                        // Truncated, then the first `cut` new bytes reached the flash.
                        byte[] kept = new byte[Math.Min(cut, bytes.Length)];
                        Array.Copy(bytes, kept, kept.Length);
                        _files[path] = kept;
                        throw new PowerCut();
                    }

                    _files[path] = (byte[])bytes.Clone();
                    Writes++;
                }
            }

            private static void Mounted(string path)
            {
                if (char.ToUpperInvariant(path[0]) != 'I')
                {
                    // Only the internal drive is mounted (no SD card, no USB drive on this board).
                    throw new IOException(string.Empty, unchecked((int)0xE3000000));   // DirectoryNotFound
                }
            }
        }
    }
}
