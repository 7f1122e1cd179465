namespace Irrigation.Core.Logging
{
    /// <summary>
    /// The serial log for field technicians. One line per entry, in one fixed format:
    /// <c>[00012.345] W sensor: dht read failed pin=26 misses=3</c> — uptime in seconds and milliseconds
    /// (seconds zero-padded to at least 5 digits), the level letter (D/I/W/E), the subsystem, the message,
    /// then key=value pairs. Lines are assembled in one reused buffer; only the finished line is a new string.
    /// Warnings and errors also go to <see cref="Mirror"/> (the controller turns them into <c>log</c> events).
    /// Used from the tick thread only.
    /// </summary>
    public sealed class Logger
    {
        /// <summary>The longest line written; longer text is cut and ends with <c>~</c>.</summary>
        public const int MaxLineChars = 200;

        private readonly ILogSink _sink;
        private readonly char[] _line = new char[MaxLineChars];
        private readonly char[] _digits = new char[20];
        private int _length;
        private int _messageStart;
        private long _uptimeMs;

        /// <summary>Creates a logger that writes finished lines to <paramref name="sink"/>.</summary>
        public Logger(ILogSink sink)
        {
            _sink = sink;
            MinLevel = LogLevel.Info;
            MirrorLevel = LogLevel.Warning;
        }

        /// <summary>Lines below this level are not written (default <see cref="LogLevel.Info"/>).</summary>
        public LogLevel MinLevel { get; set; }

        /// <summary>Lines at or above this level go to <see cref="Mirror"/> too (default <see cref="LogLevel.Warning"/>).</summary>
        public LogLevel MirrorLevel { get; set; }

        /// <summary>Where warnings and errors are mirrored; null for none.</summary>
        public ILogMirror Mirror { get; set; }

        /// <summary>Lines written since start (for tests and status).</summary>
        public long LinesWritten { get; private set; }

        /// <summary>Sets the uptime, in milliseconds, stamped on the following lines.</summary>
        public void SetUptime(long uptimeMs)
        {
            _uptimeMs = uptimeMs;
        }

        /// <summary>Writes a debug line.</summary>
        public void Debug(string subsystem, string message)
        {
            Write(LogLevel.Debug, subsystem, message, null, 0, null, 0, false);
        }

        /// <summary>Writes an info line.</summary>
        public void Info(string subsystem, string message)
        {
            Write(LogLevel.Info, subsystem, message, null, 0, null, 0, false);
        }

        /// <summary>Writes an info line with one key=value pair.</summary>
        public void Info(string subsystem, string message, string key, long value)
        {
            Write(LogLevel.Info, subsystem, message, key, value, null, 0, true);
        }

        /// <summary>Writes an info line with two key=value pairs.</summary>
        public void Info(string subsystem, string message, string key1, long value1, string key2, long value2)
        {
            Write(LogLevel.Info, subsystem, message, key1, value1, key2, value2, true);
        }

        /// <summary>Writes a warning line.</summary>
        public void Warn(string subsystem, string message)
        {
            Write(LogLevel.Warning, subsystem, message, null, 0, null, 0, false);
        }

        /// <summary>Writes a warning line with one key=value pair.</summary>
        public void Warn(string subsystem, string message, string key, long value)
        {
            Write(LogLevel.Warning, subsystem, message, key, value, null, 0, true);
        }

        /// <summary>Writes a warning line with two key=value pairs.</summary>
        public void Warn(string subsystem, string message, string key1, long value1, string key2, long value2)
        {
            Write(LogLevel.Warning, subsystem, message, key1, value1, key2, value2, true);
        }

        /// <summary>Writes an error line.</summary>
        public void Error(string subsystem, string message)
        {
            Write(LogLevel.Error, subsystem, message, null, 0, null, 0, false);
        }

        /// <summary>Writes an error line with one key=value pair.</summary>
        public void Error(string subsystem, string message, string key, long value)
        {
            Write(LogLevel.Error, subsystem, message, key, value, null, 0, true);
        }

        /// <summary>
        /// Writes one line with up to two integer key=value pairs (a null key is left out). The general form
        /// behind the shortcuts above.
        /// </summary>
        public void Write(LogLevel level, string subsystem, string message, string key1, long value1, string key2, long value2, bool hasPairs)
        {
            bool mirror = Mirror != null && level >= MirrorLevel;
            if (level < MinLevel && !mirror)
            {
                return;
            }

            _length = 0;
            AppendPrefix(_uptimeMs, level);
            _messageStart = _length;
            AppendText(subsystem);
            Append(':');
            Append(' ');
            AppendText(message);
            if (hasPairs)
            {
                AppendPair(key1, value1);
                AppendPair(key2, value2);
            }

            if (_length == _line.Length)
            {
                _line[_length - 1] = '~';
            }

            if (level >= MinLevel)
            {
                LinesWritten++;
                _sink.WriteLine(new string(_line, 0, _length));
            }

            if (mirror)
            {
                Mirror.OnMirroredLine(level, new string(_line, _messageStart, _length - _messageStart));
            }
        }

        /// <summary>Writes a line with one string key=value pair (the value is written as it is).</summary>
        public void Write(LogLevel level, string subsystem, string message, string key, string value)
        {
            bool mirror = Mirror != null && level >= MirrorLevel;
            if (level < MinLevel && !mirror)
            {
                return;
            }

            _length = 0;
            AppendPrefix(_uptimeMs, level);
            _messageStart = _length;
            AppendText(subsystem);
            Append(':');
            Append(' ');
            AppendText(message);
            if (key != null)
            {
                Append(' ');
                AppendText(key);
                Append('=');
                AppendText(value == null ? "null" : value);
            }

            if (_length == _line.Length)
            {
                _line[_length - 1] = '~';
            }

            if (level >= MinLevel)
            {
                LinesWritten++;
                _sink.WriteLine(new string(_line, 0, _length));
            }

            if (mirror)
            {
                Mirror.OnMirroredLine(level, new string(_line, _messageStart, _length - _messageStart));
            }
        }

        /// <summary>The level letter of the line format: D, I, W or E.</summary>
        public static char LevelLetter(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Debug: return 'D';
                case LogLevel.Info: return 'I';
                case LogLevel.Warning: return 'W';
                default: return 'E';
            }
        }

        /// <summary>The uptime as the line format writes it: <c>00012.345</c> for 12 345 ms.</summary>
        public static string FormatUptime(long uptimeMs)
        {
            Logger scratch = new Logger(null);
            scratch.AppendUptime(uptimeMs);
            return new string(scratch._line, 0, scratch._length);
        }

        private void AppendPrefix(long uptimeMs, LogLevel level)
        {
            Append('[');
            AppendUptime(uptimeMs);
            Append(']');
            Append(' ');
            Append(LevelLetter(level));
            Append(' ');
        }

        private void AppendUptime(long uptimeMs)
        {
            if (uptimeMs < 0)
            {
                uptimeMs = 0;
            }

            long seconds = uptimeMs / 1000;
            int millis = (int)(uptimeMs % 1000);
            AppendNumber(seconds, 5);
            Append('.');
            AppendNumber(millis, 3);
        }

        private void AppendPair(string key, long value)
        {
            if (key == null)
            {
                return;
            }

            Append(' ');
            AppendText(key);
            Append('=');
            AppendNumber(value, 1);
        }

        private void AppendNumber(long value, int minDigits)
        {
            if (value < 0)
            {
                Append('-');
                value = value == long.MinValue ? long.MaxValue : -value;
            }

            int count = 0;
            do
            {
                _digits[count++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);

            while (count < minDigits)
            {
                _digits[count++] = '0';
            }

            while (count > 0)
            {
                Append(_digits[--count]);
            }
        }

        private void AppendText(string text)
        {
            if (text == null)
            {
                return;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                // One entry is one line: control characters would break the technician's terminal and parsers.
                Append(c < ' ' ? ' ' : c);
            }
        }

        private void Append(char c)
        {
            if (_length < _line.Length)
            {
                _line[_length++] = c;
            }
        }
    }
}
