namespace Irrigation.Server.Storage;

/// <summary>
/// The sensor series kept as raw readings: a value is the storage code of a row of the shared core's
/// <c>ReadingSpecs</c> (stored in the readings table). The named members are the kinds server code refers to by
/// name; every other row's code is a valid value too.
/// </summary>
public enum ReadingKind
{
    /// <summary>Air temperature, tenths of a degree Celsius.</summary>
    Temperature = 1,

    /// <summary>Relative humidity, tenths of a percent.</summary>
    Humidity = 2,

    /// <summary>Soil moisture, tenths of a percent (0-1000), with the raw ADC value.</summary>
    SoilMoisture = 3,
}
