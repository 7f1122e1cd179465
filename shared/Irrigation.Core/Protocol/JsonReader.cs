using System;

namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// A small forward-only JSON tokenizer for the frames a controller receives. It validates the grammar
    /// (RFC 8259) as it goes and reports malformed input as <see cref="JsonToken.Invalid"/> with a reason,
    /// never as an exception. Nesting is limited to <see cref="MaxDepth"/>; numbers are kept as integers
    /// when they are whole and fit in a long. One instance is reused across frames.
    /// </summary>
    public sealed class JsonReader
    {
        /// <summary>The deepest nesting accepted; deeper input is invalid.</summary>
        public const int MaxDepth = 16;

        private const int ExpectValue = 0;
        private const int ExpectName = 1;
        private const int ExpectCommaOrEnd = 2;
        private const int Done = 3;

        private string _text = string.Empty;
        private int _pos;
        private int _state;
        private bool _allowClose;
        // Bit n set: the container at depth n is an object; clear: an array.
        private int _objectBits;
        private char[] _scratch = new char[64];

        /// <summary>The token the last <see cref="Read"/> found.</summary>
        public JsonToken Token { get; private set; }

        /// <summary>Containers open after the current token.</summary>
        public int Depth { get; private set; }

        /// <summary>The decoded text of a <see cref="JsonToken.PropertyName"/> or <see cref="JsonToken.String"/>.</summary>
        public string StringValue { get; private set; }

        /// <summary>The value of a <see cref="JsonToken.Number"/> when <see cref="IsInteger"/>.</summary>
        public long IntegerValue { get; private set; }

        /// <summary>True when the current number has no fraction or exponent and fits in a long.</summary>
        public bool IsInteger { get; private set; }

        /// <summary>Why the text is invalid (with the character offset), or null.</summary>
        public string Error { get; private set; }

        /// <summary>
        /// Offset in the text just past the current token: after a <see cref="JsonToken.StartObject"/> the brace is
        /// at <c>Position - 1</c>, and after <see cref="Skip"/> of that object its closing brace ends at
        /// <c>Position</c>, so a caller can keep a nested object's text without copying it token by token.
        /// </summary>
        public int Position
        {
            get { return _pos; }
        }

        /// <summary>Starts reading a new document.</summary>
        public void Reset(string text)
        {
            _text = text == null ? string.Empty : text;
            _pos = 0;
            _state = ExpectValue;
            _allowClose = false;
            _objectBits = 0;
            Depth = 0;
            Token = JsonToken.None;
            StringValue = null;
            IntegerValue = 0;
            IsInteger = false;
            Error = null;
        }

        /// <summary>
        /// Reads the next token. Returns false at the end of a valid document (<see cref="JsonToken.None"/>)
        /// or on invalid input (<see cref="JsonToken.Invalid"/>, see <see cref="Error"/>).
        /// </summary>
        public bool Read()
        {
            if (Token == JsonToken.Invalid)
            {
                return false;
            }

            StringValue = null;
            while (true)
            {
                SkipWhitespace();
                if (_state == Done)
                {
                    if (_pos < _text.Length)
                    {
                        return Fail("unexpected text after the document");
                    }

                    Token = JsonToken.None;
                    return false;
                }

                if (_pos >= _text.Length)
                {
                    return Fail("unexpected end of text");
                }

                char c = _text[_pos];
                if (_state == ExpectCommaOrEnd)
                {
                    bool inObject = InObject();
                    if (c == ',')
                    {
                        _pos++;
                        _state = inObject ? ExpectName : ExpectValue;
                        _allowClose = false;
                        continue;
                    }

                    if ((c == '}' && inObject) || (c == ']' && !inObject))
                    {
                        _pos++;
                        return Close(inObject ? JsonToken.EndObject : JsonToken.EndArray);
                    }

                    return Fail(inObject ? "expected ',' or '}'" : "expected ',' or ']'");
                }

                if (_state == ExpectName)
                {
                    if (c == '}' && _allowClose)
                    {
                        _pos++;
                        return Close(JsonToken.EndObject);
                    }

                    if (c != '"')
                    {
                        return Fail("expected a property name");
                    }

                    if (!ReadString())
                    {
                        return false;
                    }

                    SkipWhitespace();
                    if (_pos >= _text.Length || _text[_pos] != ':')
                    {
                        return Fail("expected ':'");
                    }

                    _pos++;
                    _state = ExpectValue;
                    _allowClose = false;
                    Token = JsonToken.PropertyName;
                    return true;
                }

                // ExpectValue
                if (c == ']' && _allowClose && Depth > 0 && !InObject())
                {
                    _pos++;
                    return Close(JsonToken.EndArray);
                }

                if (c == '{' || c == '[')
                {
                    if (Depth >= MaxDepth)
                    {
                        return Fail("nested too deeply");
                    }

                    _pos++;
                    Depth++;
                    if (c == '{')
                    {
                        _objectBits |= 1 << Depth;
                        _state = ExpectName;
                    }
                    else
                    {
                        _objectBits &= ~(1 << Depth);
                        _state = ExpectValue;
                    }

                    _allowClose = true;
                    Token = c == '{' ? JsonToken.StartObject : JsonToken.StartArray;
                    return true;
                }

                bool ok;
                JsonToken found;
                if (c == '"')
                {
                    ok = ReadString();
                    found = JsonToken.String;
                }
                else if (c == '-' || (c >= '0' && c <= '9'))
                {
                    ok = ReadNumber();
                    found = JsonToken.Number;
                }
                else if (c == 't')
                {
                    ok = ReadLiteral("true");
                    found = JsonToken.True;
                }
                else if (c == 'f')
                {
                    ok = ReadLiteral("false");
                    found = JsonToken.False;
                }
                else if (c == 'n')
                {
                    ok = ReadLiteral("null");
                    found = JsonToken.Null;
                }
                else
                {
                    return Fail("expected a value");
                }

                if (!ok)
                {
                    return false;
                }

                Token = found;
                AfterValue();
                return true;
            }
        }

        /// <summary>
        /// Skips the value that starts at the current token (a whole object or array, or a scalar).
        /// Returns false on invalid input.
        /// </summary>
        public bool Skip()
        {
            if (Token == JsonToken.PropertyName)
            {
                if (!Read())
                {
                    return false;
                }
            }

            if (Token != JsonToken.StartObject && Token != JsonToken.StartArray)
            {
                return Token != JsonToken.Invalid;
            }

            int depth = Depth;
            while (Read())
            {
                if ((Token == JsonToken.EndObject || Token == JsonToken.EndArray) && Depth < depth)
                {
                    return true;
                }
            }

            return false;
        }

        private bool Close(JsonToken token)
        {
            Depth--;
            Token = token;
            AfterValue();
            return true;
        }

        private void AfterValue()
        {
            _state = Depth == 0 ? Done : ExpectCommaOrEnd;
            _allowClose = false;
        }

        private bool InObject()
        {
            return (_objectBits & (1 << Depth)) != 0;
        }

        private bool Fail(string reason)
        {
            Token = JsonToken.Invalid;
            Error = reason + " at " + _pos.ToString();
            StringValue = null;
            return false;
        }

        private void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                {
                    return;
                }

                _pos++;
            }
        }

        private bool ReadLiteral(string literal)
        {
            if (_pos + literal.Length > _text.Length)
            {
                return Fail("invalid literal");
            }

            for (int i = 0; i < literal.Length; i++)
            {
                if (_text[_pos + i] != literal[i])
                {
                    return Fail("invalid literal");
                }
            }

            _pos += literal.Length;
            return true;
        }

        private bool ReadNumber()
        {
            int start = _pos;
            bool negative = false;
            if (_text[_pos] == '-')
            {
                negative = true;
                _pos++;
            }

            if (_pos >= _text.Length || !IsDigit(_text[_pos]))
            {
                return Fail("invalid number");
            }

            long value = 0;
            bool fits = true;
            if (_text[_pos] == '0')
            {
                _pos++;
            }
            else
            {
                while (_pos < _text.Length && IsDigit(_text[_pos]))
                {
                    int digit = _text[_pos] - '0';
                    // Accumulate as a negative number so long.MinValue fits too.
                    if (value < (long.MinValue + digit) / 10)
                    {
                        fits = false;
                    }
                    else
                    {
                        value = value * 10 - digit;
                    }

                    _pos++;
                }
            }

            bool whole = true;
            if (_pos < _text.Length && _text[_pos] == '.')
            {
                whole = false;
                _pos++;
                if (_pos >= _text.Length || !IsDigit(_text[_pos]))
                {
                    return Fail("invalid number");
                }

                while (_pos < _text.Length && IsDigit(_text[_pos]))
                {
                    _pos++;
                }
            }

            if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
            {
                whole = false;
                _pos++;
                if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
                {
                    _pos++;
                }

                if (_pos >= _text.Length || !IsDigit(_text[_pos]))
                {
                    return Fail("invalid number");
                }

                while (_pos < _text.Length && IsDigit(_text[_pos]))
                {
                    _pos++;
                }
            }

            if (!negative && value == long.MinValue)
            {
                fits = false;
            }

            IsInteger = whole && fits && _pos > start;
            IntegerValue = IsInteger ? (negative ? value : -value) : 0;
            return true;
        }

        private bool ReadString()
        {
            // Opening quote at _pos.
            int start = ++_pos;
            int length = _text.Length;
            while (_pos < length)
            {
                char c = _text[_pos];
                if (c == '"')
                {
                    StringValue = _text.Substring(start, _pos - start);
                    _pos++;
                    return true;
                }

                if (c == '\\')
                {
                    return ReadEscapedString(start);
                }

                if (c < ' ')
                {
                    return Fail("control character in string");
                }

                _pos++;
            }

            return Fail("unterminated string");
        }

        private bool ReadEscapedString(int start)
        {
            int count = 0;
            EnsureScratch(_pos - start);
            for (int i = start; i < _pos; i++)
            {
                _scratch[count++] = _text[i];
            }

            int length = _text.Length;
            while (_pos < length)
            {
                char c = _text[_pos];
                if (c == '"')
                {
                    StringValue = new string(_scratch, 0, count);
                    _pos++;
                    return true;
                }

                if (c < ' ')
                {
                    return Fail("control character in string");
                }

                if (c != '\\')
                {
                    EnsureScratch(count + 1);
                    _scratch[count++] = c;
                    _pos++;
                    continue;
                }

                if (_pos + 1 >= length)
                {
                    return Fail("unterminated string");
                }

                char e = _text[_pos + 1];
                char decoded;
                switch (e)
                {
                    case '"': decoded = '"'; break;
                    case '\\': decoded = '\\'; break;
                    case '/': decoded = '/'; break;
                    case 'b': decoded = '\b'; break;
                    case 'f': decoded = '\f'; break;
                    case 'n': decoded = '\n'; break;
                    case 'r': decoded = '\r'; break;
                    case 't': decoded = '\t'; break;
                    case 'u':
                        int code = ParseHex4(_pos + 2);
                        if (code < 0)
                        {
                            return Fail("invalid \\u escape");
                        }

                        decoded = (char)code;
                        _pos += 4;
                        break;
                    default:
                        return Fail("invalid escape");
                }

                EnsureScratch(count + 1);
                _scratch[count++] = decoded;
                _pos += 2;
            }

            return Fail("unterminated string");
        }

        private int ParseHex4(int at)
        {
            if (at + 4 > _text.Length)
            {
                return -1;
            }

            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                char h = _text[at + i];
                int digit;
                if (h >= '0' && h <= '9')
                {
                    digit = h - '0';
                }
                else if (h >= 'a' && h <= 'f')
                {
                    digit = h - 'a' + 10;
                }
                else if (h >= 'A' && h <= 'F')
                {
                    digit = h - 'A' + 10;
                }
                else
                {
                    return -1;
                }

                value = (value << 4) | digit;
            }

            return value;
        }

        private void EnsureScratch(int size)
        {
            if (size <= _scratch.Length)
            {
                return;
            }

            int next = _scratch.Length * 2;
            while (next < size)
            {
                next *= 2;
            }

            char[] grown = new char[next];
            Array.Copy(_scratch, grown, _scratch.Length);
            _scratch = grown;
        }

        private static bool IsDigit(char c)
        {
            return c >= '0' && c <= '9';
        }
    }
}
