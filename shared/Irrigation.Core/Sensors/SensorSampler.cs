using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;

namespace Irrigation.Core.Sensors
{
    /// <summary>
    /// The sensor component: reads the DHT every dht_interval and each soil probe in use every soil_interval,
    /// records good readings, debounces health and turns health changes into sensor events. A bad read is
    /// state (a miss), never an exception. Reads the config from the context, so new settings (intervals,
    /// calibration, which zone a probe serves) count from the next read.
    /// </summary>
    internal sealed class SensorSampler
    {
        /// <summary>Sensor index of the DHT temperature in sensor events.</summary>
        internal const int Temperature = 0;
        /// <summary>Sensor index of the DHT humidity.</summary>
        internal const int Humidity = 1;
        /// <summary>Sensor index of soil probe 0; probe n is this plus n.</summary>
        internal const int SoilBase = 2;

        private readonly ControllerContext _context;
        private readonly IClimateSensor _climate;
        private readonly ISoilProbe[] _probes;
        private SoilSampler _soil;
        private readonly string[] _names;
        private readonly SensorHealth[] _health;
        private readonly int[] _probeZone;
        private long _nextDhtMs;
        private long _nextSoilMs;

        /// <summary>Every soil input of the board in <paramref name="probes"/>; the config's <c>soil</c> entries use the first ones.</summary>
        public SensorSampler(ControllerContext context, IClimateSensor climate, ISoilProbe[] probes)
        {
            _context = context;
            _climate = climate;
            _probes = probes;
            _soil = new SoilSampler(context.Config.SoilSamples);

            int count = probes.Length;
            _names = new string[SoilBase + count];
            _health = new SensorHealth[SoilBase + count];
            _names[Temperature] = EventNames.Temperature;
            _names[Humidity] = EventNames.Humidity;
            for (int i = 0; i < _health.Length; i++)
            {
                _health[i] = new SensorHealth();
                if (i >= SoilBase)
                {
                    int n = i - SoilBase;
                    _names[i] = n == 0 ? EventNames.SoilMoisture : EventNames.SoilMoisture + "_" + (n + 1).ToString();
                }
            }

            _probeZone = new int[count];
            MapProbesToZones();
        }

        /// <summary>Soil probes in use (the config's <c>soil</c> entries).</summary>
        public int ProbeCount
        {
            get { return _context.Config.SoilProbes.Length; }
        }

        /// <summary>New settings run: the sample count and which zone each probe serves may have changed.</summary>
        public void SettingsApplied()
        {
            if (_soil.SamplesPerReading != _context.Config.SoilSamples)
            {
                _soil = new SoilSampler(_context.Config.SoilSamples);
            }

            MapProbesToZones();
        }

        /// <summary>Debounced health of sensor <paramref name="sensor"/> (temperature, humidity, then the probes).</summary>
        public SensorHealth Health(int sensor)
        {
            return _health[sensor];
        }

        /// <summary>Wire name of sensor <paramref name="sensor"/> (soil_moisture, soil_moisture_2, ...).</summary>
        public string Name(int sensor)
        {
            return _names[sensor];
        }

        /// <summary>Boot at <paramref name="uptimeMs"/>: schedules the first reads.</summary>
        public void Start(long uptimeMs)
        {
            // The DHT22 needs about 2 s after power-up before its first read.
            _nextDhtMs = uptimeMs + 2000;
            _nextSoilMs = uptimeMs + 1000;
        }

        /// <summary>Reads whatever is due this tick.</summary>
        public void Step()
        {
            long now = _context.NowMs;
            ControllerConfig config = _context.Config;
            if (now >= _nextDhtMs)
            {
                long interval = (long)config.DhtIntervalSeconds * 1000;
                // The DHT22 needs 2 s between reads, whatever the config says.
                _nextDhtMs = now + (interval < 2000 ? 2000 : interval);
                ReadClimate();
            }

            if (now >= _nextSoilMs)
            {
                _nextSoilMs = now + (long)config.SoilIntervalSeconds * 1000;
                for (int p = 0; p < config.SoilProbes.Length; p++)
                {
                    ReadSoil(p);
                }
            }
        }

        private void ReadClimate()
        {
            ClimateSample sample = _climate.Read();
            int check = ClimateCheck.Check(sample);
            bool temperatureOk = check == ClimateCheck.Ok || check == ClimateCheck.HumidityOutOfRange;
            bool humidityOk = check == ClimateCheck.Ok;
            if (temperatureOk)
            {
                Report(Temperature, _health[Temperature].Good(sample.TemperatureDeciCelsius));
                _context.Record(EventKind.Temperature, sample.TemperatureDeciCelsius, 0, 0, 0, 0, null);
            }
            else
            {
                Report(Temperature, _health[Temperature].Miss());
            }

            if (humidityOk)
            {
                Report(Humidity, _health[Humidity].Good(sample.HumidityDeciPercent));
                _context.Record(EventKind.Humidity, sample.HumidityDeciPercent, 0, 0, 0, 0, null);
            }
            else
            {
                Report(Humidity, _health[Humidity].Miss());
            }

            if (check != ClimateCheck.Ok)
            {
                int misses = _health[Humidity].Misses;
                // Warn on the first misses; once disconnected the event says it all and the log stays quiet.
                if (misses <= SensorHealth.DefaultMissesToDisconnect)
                {
                    _context.Log.Warn("sensor", "dht " + ClimateCheck.Describe(check), "misses", misses);
                }
            }
        }

        private void ReadSoil(int p)
        {
            int raw = _soil.Sample(_probes[p]);
            SensorHealth h = _health[SoilBase + p];
            if (raw >= 0)
            {
                int value = _context.Config.SoilProbes[p].ToDeciPercent(raw);
                Report(SoilBase + p, h.Good(value));
                _context.Record(EventKind.SoilMoisture, value, raw, _probeZone[p], _context.ZoneNamesGeneration, 0, null);
                return;
            }

            Report(SoilBase + p, h.Miss());
            if (h.Misses <= SensorHealth.DefaultMissesToDisconnect)
            {
                _context.Log.Warn("soil", raw == SoilSampler.Disconnected ? "probe at scale end (unplugged?)" : "probe read failed", "probe", p, "misses", h.Misses);
            }
        }

        // A soil reading names the first zone that uses its probe.
        private void MapProbesToZones()
        {
            ZoneConfig[] zones = _context.Config.Zones;
            for (int p = 0; p < _probeZone.Length; p++)
            {
                _probeZone[p] = -1;
                for (int z = zones.Length - 1; z >= 0; z--)
                {
                    if (zones[z].SoilProbe == p)
                    {
                        _probeZone[p] = z;
                    }
                }
            }
        }

        private void Report(int sensor, SensorHealthChange change)
        {
            if (change == SensorHealthChange.Disconnected)
            {
                _context.Record(EventKind.SensorDisconnected, sensor, 0, 0, 0, 0, null);
                _context.Log.Write(LogLevel.Warning, "sensor", "disconnected", "sensor", _names[sensor]);
            }
            else if (change == SensorHealthChange.Reconnected)
            {
                _context.Record(EventKind.SensorReconnected, sensor, 0, 0, 0, 0, null);
                _context.Log.Write(LogLevel.Info, "sensor", "reconnected", "sensor", _names[sensor]);
            }
        }
    }
}
