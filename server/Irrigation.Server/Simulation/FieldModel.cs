namespace Irrigation.Server.Simulation;

/// <summary>
/// The physical world around one simulated controller: a diurnal temperature and humidity curve with noise, and
/// soil per zone that dries faster when it is hot and wets while water reaches it (<see cref="SetWatering"/>: the
/// share of a full sprinkler run that the <see cref="WaterModel"/> delivers, so a closed supply waters nothing).
/// Advanced in simulated time.
/// </summary>
public sealed class FieldModel
{
    private const double SecondsPerDay = 86_400;
    // Percent of soil moisture per simulated hour.
    private const double DryingPerHourAt20C = 1.2;
    // A full sprinkler run: 15 % an hour, so that at the demo's 60× a soil run waters for about a real minute, long
    // enough for the controller to learn the zone's usual flow (it needs 30 s of settled flow).
    private const double WettingPerHour = 15;

    private readonly Random _random;
    private readonly double[] _soilPercent;
    private readonly double[] _watering;
    private double _secondOfDay;

    public FieldModel(int zoneCount, Random random, double startSecondOfDay, double[] initialSoilPercent)
    {
        if (initialSoilPercent.Length != zoneCount)
        {
            throw new ArgumentException("one initial soil value per zone", nameof(initialSoilPercent));
        }

        _random = random;
        _soilPercent = (double[])initialSoilPercent.Clone();
        _watering = new double[zoneCount];
        _secondOfDay = startSecondOfDay;
        Update();
    }

    /// <summary>Air temperature, °C.</summary>
    public double TemperatureCelsius { get; private set; }

    /// <summary>Relative humidity, %.</summary>
    public double HumidityPercent { get; private set; }

    /// <summary>Simulated seconds since midnight.</summary>
    public double SecondOfDay => _secondOfDay;

    public int ZoneCount => _soilPercent.Length;

    /// <summary>Volumetric soil moisture of a zone, 0–100 %.</summary>
    public double SoilPercent(int zone) => _soilPercent[zone];

    /// <summary>How much of a full sprinkler run reaches a zone's soil now, 0 … 1.</summary>
    public double Watering(int zone) => _watering[zone];

    /// <summary>Sets how much of a full sprinkler run reaches a zone's soil now, 0 (none) … 1.</summary>
    public void SetWatering(int zone, double share) => _watering[zone] = Math.Clamp(share, 0, 1);

    /// <summary>Moves the world forward by <paramref name="simulatedSeconds"/>.</summary>
    public void Advance(double simulatedSeconds)
    {
        if (simulatedSeconds <= 0)
        {
            return;
        }

        _secondOfDay = (_secondOfDay + simulatedSeconds) % SecondsPerDay;
        Update();
        double hours = simulatedSeconds / 3600;
        for (int zone = 0; zone < _soilPercent.Length; zone++)
        {
            double drying = DryingPerHourAt20C * Math.Max(0.2, 1 + (TemperatureCelsius - 20) / 10);
            double change = _watering[zone] * WettingPerHour - (1 - _watering[zone]) * drying;
            _soilPercent[zone] = Math.Clamp(_soilPercent[zone] + change * hours, 2, 98);
        }
    }

    private void Update()
    {
        // Coolest just before dawn (~05:00), warmest mid-afternoon (~15:00).
        double phase = 2 * Math.PI * (_secondOfDay - 9 * 3600) / SecondsPerDay;
        TemperatureCelsius = 19 + 8 * Math.Sin(phase) + Noise(0.3);
        HumidityPercent = Math.Clamp(62 - 2.2 * (TemperatureCelsius - 19) + Noise(1.0), 15, 98);
    }

    private double Noise(double amplitude) => (_random.NextDouble() * 2 - 1) * amplitude;
}
