namespace Irrigation.Core.Sensors
{
    /// <summary>A capacitive soil-moisture probe on an ADC channel.</summary>
    public interface ISoilProbe
    {
        /// <summary>The largest raw value the converter returns (4095 for the ESP32's 12 bits).</summary>
        int MaxRaw { get; }

        /// <summary>One raw conversion (0...<see cref="MaxRaw"/>), or -1 when the read itself failed.</summary>
        int ReadRaw();
    }
}
