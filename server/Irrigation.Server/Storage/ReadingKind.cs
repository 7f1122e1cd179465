namespace Irrigation.Server.Storage;

/// <summary>The sensor series kept as raw readings; the numbers are stored in the readings table.</summary>
public enum ReadingKind
{
    /// <summary>Air temperature, tenths of a degree Celsius.</summary>
    Temperature = 1,

    /// <summary>Relative humidity, tenths of a percent.</summary>
    Humidity = 2,

    /// <summary>Soil moisture, tenths of a percent (0-1000), with the raw ADC value.</summary>
    SoilMoisture = 3,
}
