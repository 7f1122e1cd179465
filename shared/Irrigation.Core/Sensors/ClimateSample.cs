namespace Irrigation.Core.Sensors
{
    /// <summary>One raw temperature and humidity measurement, in tenths, as the sensor gave it.</summary>
    public struct ClimateSample
    {
        /// <summary>Creates a sample.</summary>
        public ClimateSample(bool isValid, int temperatureDeciCelsius, int humidityDeciPercent)
        {
            IsValid = isValid;
            TemperatureDeciCelsius = temperatureDeciCelsius;
            HumidityDeciPercent = humidityDeciPercent;
        }

        /// <summary>False when the sensor reported a failed read (timeout, checksum).</summary>
        public bool IsValid;

        /// <summary>Temperature in tenths of a degree Celsius (223 = 22.3 °C).</summary>
        public int TemperatureDeciCelsius;

        /// <summary>Relative humidity in tenths of a percent (455 = 45.5 %RH).</summary>
        public int HumidityDeciPercent;

        /// <summary>A failed read.</summary>
        public static ClimateSample Failed
        {
            get { return new ClimateSample(false, 0, 0); }
        }
    }
}
