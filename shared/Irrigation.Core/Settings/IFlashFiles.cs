namespace Irrigation.Core.Settings
{
    /// <summary>
    /// The two calls of the board's flash file system the settings store needs. On the device they map to
    /// nanoFramework's <c>System.IO.File</c> (<c>Exists</c> + <c>ReadAllText</c>, <c>WriteAllText</c>) on the
    /// internal drive <c>I:</c>; the simulator and the tests give their own. Either call may throw on an I/O
    /// error (the store catches it), and a power cut during <see cref="WriteText"/> may leave the file empty or
    /// cut short: the store never relies on one write being atomic.
    /// </summary>
    public interface IFlashFiles
    {
        /// <summary>The file's whole text, or null when the file does not exist.</summary>
        string ReadText(string path);

        /// <summary>Creates the file, or replaces its content, with <paramref name="text"/> (written as UTF-8).</summary>
        void WriteText(string path, string text);
    }
}
