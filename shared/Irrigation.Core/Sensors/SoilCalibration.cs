using System;

namespace Irrigation.Core.Sensors
{
    /// <summary>
    /// Two-point calibration of one capacitive soil probe: the raw ADC value in dry air and in water.
    /// The capacitive v1.2 probe reads higher when dry (about 3300–3500 dry and 1300–1500 wet on the ESP32's
    /// 12-bit ADC, hardware notes §6), but either direction works: the sign comes from the two points.
    /// </summary>
    public sealed class SoilCalibration
    {
        /// <summary>Default dry point (estimate for the capacitive v1.2 probe in air).</summary>
        public const int DefaultDryRaw = 3400;
        /// <summary>Default wet point (estimate for the capacitive v1.2 probe in water).</summary>
        public const int DefaultWetRaw = 1400;

        /// <summary>Creates a calibration; the two points must differ.</summary>
        public SoilCalibration(int dryRaw, int wetRaw)
        {
            if (dryRaw == wetRaw)
            {
                throw new ArgumentException("dry and wet raw values must differ");
            }

            DryRaw = dryRaw;
            WetRaw = wetRaw;
        }

        /// <summary>Raw value with the probe in dry air (0 %).</summary>
        public int DryRaw { get; private set; }

        /// <summary>Raw value with the probe in water (100 %).</summary>
        public int WetRaw { get; private set; }

        /// <summary>
        /// Moisture in tenths of a percent (0–1000) for a raw value, linear between the two points,
        /// rounded to nearest and clamped at both ends.
        /// </summary>
        public int ToDeciPercent(int raw)
        {
            long span = DryRaw - WetRaw;
            long num = (long)(DryRaw - raw) * 1000;
            if (span < 0)
            {
                span = -span;
                num = -num;
            }

            long value = num >= 0 ? (num + span / 2) / span : -((-num + span / 2) / span);
            if (value < 0)
            {
                return 0;
            }

            return value > 1000 ? 1000 : (int)value;
        }
    }
}
