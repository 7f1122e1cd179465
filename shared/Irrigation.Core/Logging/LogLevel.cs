namespace Irrigation.Core.Logging
{
    /// <summary>Severity of a serial log line; the letter in the line is D, I, W or E.</summary>
    public enum LogLevel
    {
        /// <summary>Detail for development (D).</summary>
        Debug = 0,
        /// <summary>Normal operation worth a line (I).</summary>
        Info = 1,
        /// <summary>Something is wrong but the controller carries on (W); mirrored as a <c>log</c> event.</summary>
        Warning = 2,
        /// <summary>A fault that needs a technician (E); mirrored as a <c>log</c> event.</summary>
        Error = 3,
    }
}
