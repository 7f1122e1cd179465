using Irrigation.Core.Protocol;

namespace Irrigation.Core.Sensors
{
    /// <summary>
    /// Plausibility rules for a DHT22 sample (hardware notes §6: −40…80 °C, 0…99.9 %RH). A sample that
    /// breaks one is garbage and counts as a missed read, not as a value. The ranges are the reading kinds'
    /// (<see cref="ReadingSpecs"/>), the same ones the server checks frames against.
    /// </summary>
    public static class ClimateCheck
    {

        /// <summary>The sample is usable.</summary>
        public const int Ok = 0;
        /// <summary>The sensor itself reported a failed read (timeout, checksum).</summary>
        public const int ReadFailed = 1;
        /// <summary>The known garbage pattern of a half-read DHT: 1 °C and 1 %.</summary>
        public const int GarbagePattern = 2;
        /// <summary>Temperature outside −40…80 °C.</summary>
        public const int TemperatureOutOfRange = 3;
        /// <summary>Humidity below 0 or above 100 %.</summary>
        public const int HumidityOutOfRange = 4;
        /// <summary>All data bits zero (0.0 °C and 0.0 %): a failed read the driver did not flag.</summary>
        public const int AllZero = 5;

        /// <summary>Checks a sample; returns <see cref="Ok"/> or the first rule it breaks.</summary>
        public static int Check(ClimateSample sample)
        {
            if (!sample.IsValid)
            {
                return ReadFailed;
            }

            int t = sample.TemperatureDeciCelsius;
            int h = sample.HumidityDeciPercent;
            // The 1 °C / 1 % pattern (ESPHome rejects it too): seen when the sensor answers with a short frame.
            if (h == 10 && (t == 10 || t == 1))
            {
                return GarbagePattern;
            }

            if (t == 0 && h == 0)
            {
                return AllZero;
            }

            if (!ReadingSpecs.Temperature.Contains(t))
            {
                return TemperatureOutOfRange;
            }

            if (!ReadingSpecs.Humidity.Contains(h))
            {
                return HumidityOutOfRange;
            }

            return Ok;
        }

        /// <summary>A short description of a <see cref="Check"/> result for the log.</summary>
        public static string Describe(int result)
        {
            switch (result)
            {
                case Ok: return "ok";
                case ReadFailed: return "read failed";
                case GarbagePattern: return "garbage 1C/1% pattern";
                case TemperatureOutOfRange: return "temperature out of range";
                case HumidityOutOfRange: return "humidity out of range";
                default: return "all-zero frame";
            }
        }
    }
}
