namespace Irrigation.Core.Settings
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, the zip/PNG one) of a string's UTF-8 bytes, computed bit by bit: no 1 KB table for a
    /// check that runs once per boot and once per settings change over at most 8 KiB.
    /// </summary>
    public static class Crc32
    {
        private const uint Polynomial = 0xEDB88320;
        private const string Hex = "0123456789abcdef";

        /// <summary>
        /// The CRC of <paramref name="length"/> characters of <paramref name="text"/> from <paramref name="start"/>,
        /// encoded as UTF-8 (a lone surrogate counts as U+FFFD, as the encoder writes it).
        /// </summary>
        public static uint Of(string text, int start, int length)
        {
            uint crc = 0xFFFFFFFF;
            int end = start + length;
            for (int i = start; i < end; i++)
            {
                int c = text[i];
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < end && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    c = 0x10000 + ((c - 0xD800) << 10) + (text[++i] - 0xDC00);
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    c = 0xFFFD;
                }

                if (c < 0x80)
                {
                    crc = Add(crc, c);
                }
                else if (c < 0x800)
                {
                    crc = Add(Add(crc, 0xC0 | (c >> 6)), 0x80 | (c & 0x3F));
                }
                else if (c < 0x10000)
                {
                    crc = Add(Add(Add(crc, 0xE0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
                }
                else
                {
                    crc = Add(Add(Add(Add(crc, 0xF0 | (c >> 18)), 0x80 | ((c >> 12) & 0x3F)), 0x80 | ((c >> 6) & 0x3F)), 0x80 | (c & 0x3F));
                }
            }

            return ~crc;
        }

        /// <summary>Eight lowercase hex digits.</summary>
        public static string ToHex(uint value)
        {
            char[] digits = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                digits[i] = Hex[(int)(value & 0xF)];
                value >>= 4;
            }

            return new string(digits);
        }

        private static uint Add(uint crc, int b)
        {
            crc ^= (uint)b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            return crc;
        }
    }
}
