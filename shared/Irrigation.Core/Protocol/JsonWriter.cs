using System;

namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// Writes compact JSON into one reused, fixed-size character buffer: no StringBuilder (not in the device
    /// subset) and no garbage per value. Output is pure ASCII (everything above U+007E is written as a
    /// <c>\uXXXX</c> escape), so its length in characters is its length in UTF-8 bytes on the wire.
    /// Numbers are integers only (the contract sends tenths). A value that does not fit sets
    /// <see cref="Overflowed"/> instead of throwing; <see cref="ToString"/> then returns null.
    /// </summary>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 30;
        private const string Hex = "0123456789abcdef";

        private readonly char[] _buffer;
        private readonly char[] _digits = new char[20];
        private int _length;
        private int _depth;
        // Bit n is set once the container at depth n holds an item, so the next item needs a comma.
        private int _hasItems;
        private bool _afterName;
        private bool _overflowed;

        /// <summary>Creates a writer whose output can hold at most <paramref name="capacityChars"/> characters.</summary>
        public JsonWriter(int capacityChars)
        {
            if (capacityChars < 16)
            {
                throw new ArgumentOutOfRangeException("capacityChars");
            }

            _buffer = new char[capacityChars];
        }

        /// <summary>Characters written so far.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>The largest output this writer can hold, in characters (= bytes).</summary>
        public int Capacity
        {
            get { return _buffer.Length; }
        }

        /// <summary>True when something did not fit: the output is incomplete and must not be sent.</summary>
        public bool Overflowed
        {
            get { return _overflowed; }
        }

        /// <summary>Empties the writer for the next frame; the buffer is kept.</summary>
        public void Reset()
        {
            _length = 0;
            _depth = 0;
            _hasItems = 0;
            _afterName = false;
            _overflowed = false;
        }

        /// <summary>Starts an object (as a value, or as the whole document).</summary>
        public void BeginObject()
        {
            BeginContainer('{');
        }

        /// <summary>Ends the innermost object.</summary>
        public void EndObject()
        {
            EndContainer('}');
        }

        /// <summary>Starts an array.</summary>
        public void BeginArray()
        {
            BeginContainer('[');
        }

        /// <summary>Ends the innermost array.</summary>
        public void EndArray()
        {
            EndContainer(']');
        }

        /// <summary>Writes a property name; the next call writes its value.</summary>
        public void Name(string name)
        {
            BeforeItem();
            WriteQuoted(name);
            Append(':');
            _afterName = true;
        }

        /// <summary>Writes a string value, escaped; null is written as JSON null.</summary>
        public void String(string value)
        {
            BeforeItem();
            if (value == null)
            {
                AppendLiteral("null");
                return;
            }

            WriteQuoted(value);
        }

        /// <summary>Writes an integer value.</summary>
        public void Int(long value)
        {
            BeforeItem();
            if (value == long.MinValue)
            {
                AppendLiteral("-9223372036854775808");
                return;
            }

            if (value < 0)
            {
                Append('-');
                value = -value;
            }

            int count = 0;
            do
            {
                _digits[count++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);

            while (count > 0)
            {
                Append(_digits[--count]);
            }
        }

        /// <summary>Writes true or false.</summary>
        public void Bool(bool value)
        {
            BeforeItem();
            AppendLiteral(value ? "true" : "false");
        }

        /// <summary>Writes JSON null.</summary>
        public void Null()
        {
            BeforeItem();
            AppendLiteral("null");
        }

        /// <summary>Writes <c>"name":"value"</c>.</summary>
        public void Property(string name, string value)
        {
            Name(name);
            String(value);
        }

        /// <summary>Writes <c>"name":value</c> for an integer.</summary>
        public void Property(string name, long value)
        {
            Name(name);
            Int(value);
        }

        /// <summary>Writes <c>"name":true|false</c>.</summary>
        public void Property(string name, bool value)
        {
            Name(name);
            Bool(value);
        }

        /// <summary>Writes <c>"name":["a","b"]</c>; a null array is written as an empty one.</summary>
        public void Property(string name, string[] values)
        {
            Name(name);
            BeginArray();
            if (values != null)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    String(values[i]);
                }
            }

            EndArray();
        }

        /// <summary>
        /// Starts an envelope: <c>{"event":"name","seq":n,"data":{</c>. A seq of 0 or less is left out
        /// (hello carries none). Close it with <see cref="EndEnvelope"/>.
        /// </summary>
        public void BeginEnvelope(string eventName, long seq)
        {
            BeginObject();
            Property("event", eventName);
            if (seq > 0)
            {
                Property("seq", seq);
            }

            Name("data");
            BeginObject();
        }

        /// <summary>Closes the data object and the envelope opened by <see cref="BeginEnvelope"/>.</summary>
        public void EndEnvelope()
        {
            EndObject();
            EndObject();
        }

        /// <summary>The JSON written so far, or null when it <see cref="Overflowed"/> or is unfinished.</summary>
        public override string ToString()
        {
            if (_overflowed || _depth != 0)
            {
                return null;
            }

            return new string(_buffer, 0, _length);
        }

        private void BeginContainer(char open)
        {
            BeforeItem();
            Append(open);
            if (_depth >= MaxDepth)
            {
                _overflowed = true;
                return;
            }

            _depth++;
            _hasItems &= ~(1 << _depth);
        }

        private void EndContainer(char close)
        {
            if (_depth == 0)
            {
                throw new InvalidOperationException("No open container to end.");
            }

            _depth--;
            _afterName = false;
            Append(close);
        }

        private void BeforeItem()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            int bit = 1 << _depth;
            if ((_hasItems & bit) != 0)
            {
                Append(',');
            }

            _hasItems |= bit;
        }

        private void WriteQuoted(string value)
        {
            Append('"');
            int length = value.Length;
            for (int i = 0; i < length; i++)
            {
                char c = value[i];
                if (c == '"' || c == '\\')
                {
                    Append('\\');
                    Append(c);
                }
                else if (c >= ' ' && c < (char)0x7F)
                {
                    Append(c);
                }
                else if (c == '\n')
                {
                    Append('\\');
                    Append('n');
                }
                else if (c == '\r')
                {
                    Append('\\');
                    Append('r');
                }
                else if (c == '\t')
                {
                    Append('\\');
                    Append('t');
                }
                else if (c >= (char)0xD800 && c <= (char)0xDBFF && i + 1 < length && value[i + 1] >= (char)0xDC00 && value[i + 1] <= (char)0xDFFF)
                {
                    // A valid surrogate pair is kept as two escapes; a lone surrogate is not text and becomes U+FFFD.
                    AppendEscape(c);
                    AppendEscape(value[++i]);
                }
                else if (c >= (char)0xD800 && c <= (char)0xDFFF)
                {
                    AppendEscape((char)0xFFFD);
                }
                else
                {
                    AppendEscape(c);
                }
            }

            Append('"');
        }

        private void AppendEscape(char c)
        {
            Append('\\');
            Append('u');
            Append(Hex[(c >> 12) & 0xF]);
            Append(Hex[(c >> 8) & 0xF]);
            Append(Hex[(c >> 4) & 0xF]);
            Append(Hex[c & 0xF]);
        }

        private void AppendLiteral(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Append(text[i]);
            }
        }

        private void Append(char c)
        {
            if (_length >= _buffer.Length)
            {
                _overflowed = true;
                return;
            }

            _buffer[_length++] = c;
        }
    }
}
