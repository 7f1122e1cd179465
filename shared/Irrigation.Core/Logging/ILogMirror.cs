namespace Irrigation.Core.Logging
{
    /// <summary>Receives the lines a <see cref="Logger"/> mirrors (warnings and errors) to the server.</summary>
    public interface ILogMirror
    {
        /// <summary>
        /// Called for each mirrored line. <paramref name="message"/> is the line without the uptime and level
        /// prefix, e.g. <c>sensor: dht read failed pin=26 misses=3</c>.
        /// </summary>
        void OnMirroredLine(LogLevel level, string message);
    }
}
