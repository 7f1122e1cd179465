namespace Irrigation.Core.Logging
{
    /// <summary>Where finished serial log lines go (a UART on the device, the console in the simulator).</summary>
    public interface ILogSink
    {
        /// <summary>Writes one complete line (without the line terminator). Must not throw.</summary>
        void WriteLine(string line);
    }
}
