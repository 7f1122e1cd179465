namespace Irrigation.Core.Sensors
{
    /// <summary>
    /// Takes several conversions of a soil probe and returns their median, which ignores the ESP32 ADC's
    /// spikes better than a mean. A raw value at (or within 1 % of) either end of the scale means a probe
    /// that is unplugged or shorted, not a dry or wet soil. Reuses one sample buffer.
    /// </summary>
    public sealed class SoilSampler
    {
        /// <summary>Result of <see cref="Sample"/> when fewer than half the conversions succeeded.</summary>
        public const int ReadFailed = -1;
        /// <summary>Result of <see cref="Sample"/> when the median sits at an end of the scale.</summary>
        public const int Disconnected = -2;

        private readonly int[] _samples;

        /// <summary>Creates a sampler taking <paramref name="samplesPerReading"/> conversions (1–32) per reading.</summary>
        public SoilSampler(int samplesPerReading)
        {
            if (samplesPerReading < 1)
            {
                samplesPerReading = 1;
            }

            if (samplesPerReading > 32)
            {
                samplesPerReading = 32;
            }

            _samples = new int[samplesPerReading];
        }

        /// <summary>Conversions per reading.</summary>
        public int SamplesPerReading
        {
            get { return _samples.Length; }
        }

        /// <summary>
        /// Reads the probe <see cref="SamplesPerReading"/> times and returns the median raw value, or
        /// <see cref="ReadFailed"/> / <see cref="Disconnected"/>.
        /// </summary>
        public int Sample(ISoilProbe probe)
        {
            int count = 0;
            for (int i = 0; i < _samples.Length; i++)
            {
                int raw = probe.ReadRaw();
                if (raw >= 0)
                {
                    _samples[count++] = raw;
                }
            }

            if (count * 2 < _samples.Length || count == 0)
            {
                return ReadFailed;
            }

            int median = Median(_samples, count);
            return IsAtScaleEnd(median, probe.MaxRaw) ? Disconnected : median;
        }

        /// <summary>True when <paramref name="raw"/> is within 1 % of 0 or of <paramref name="maxRaw"/>.</summary>
        public static bool IsAtScaleEnd(int raw, int maxRaw)
        {
            int margin = maxRaw / 100;
            return raw <= margin || raw >= maxRaw - margin;
        }

        /// <summary>
        /// The median of the first <paramref name="count"/> values (sorted in place); for an even count the
        /// lower of the two middle values, so the result is always a value that was read.
        /// </summary>
        public static int Median(int[] values, int count)
        {
            // Insertion sort: count is small (≤ 32) and this allocates nothing.
            for (int i = 1; i < count; i++)
            {
                int v = values[i];
                int j = i - 1;
                while (j >= 0 && values[j] > v)
                {
                    values[j + 1] = values[j];
                    j--;
                }

                values[j + 1] = v;
            }

            return values[(count - 1) / 2];
        }
    }
}
