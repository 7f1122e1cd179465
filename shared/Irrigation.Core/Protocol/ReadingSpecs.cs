namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// The one table of reading kinds (docs/protocol.md, "Reading kinds"). The device reads it for its range checks
    /// and its offline buffer's drop policy, the server for validation, storage codes, droppability and the live
    /// state, and the dashboard gets it as JSON (<see cref="ToJson"/>). Adding a kind is adding a row here (and
    /// the code that measures it).
    /// </summary>
    public static class ReadingSpecs
    {
        /// <summary>
        /// Air temperature, tenths of °C. The range is the DHT22's (−40…80 °C, the only air sensor the firmware
        /// supports): the device rejects a sample outside it as garbage and the server refuses such a frame.
        /// </summary>
        public static readonly ReadingSpec Temperature = new ReadingSpec(1, EventNames.Temperature, "record", "°C", -400, 800, true, false, false);

        /// <summary>Relative humidity, tenths of %RH.</summary>
        public static readonly ReadingSpec Humidity = new ReadingSpec(2, EventNames.Humidity, "record", "%RH", 0, 1000, true, false, false);

        /// <summary>Soil moisture, tenths of % (0 dry air … 1000 water), with the raw ADC value and the zone it serves.</summary>
        public static readonly ReadingSpec SoilMoisture = new ReadingSpec(3, EventNames.SoilMoisture, "record", "%", 0, 1000, true, true, true);

        /// <summary>
        /// Flow on the main line, tenths of a litre per minute (0…10 000 L/min covers any farm's main line), with the
        /// zone when exactly one is open.
        /// </summary>
        public static readonly ReadingSpec Flow = new ReadingSpec(4, EventNames.Flow, "rate", "L/min", 0, 100000, true, true, false);

        /// <summary>Every kind, in storage-code order (the order the API and the dashboard list them).</summary>
        public static readonly ReadingSpec[] All = { Temperature, Humidity, SoilMoisture, Flow };

        /// <summary>The highest <see cref="ReadingSpec.Code"/> (for arrays indexed by code).</summary>
        public static int MaxCode
        {
            get
            {
                int max = 0;
                for (int i = 0; i < All.Length; i++)
                {
                    max = All[i].Code > max ? All[i].Code : max;
                }

                return max;
            }
        }

        /// <summary>The kind whose event name is <paramref name="eventName"/>, or null when that event is not a reading.</summary>
        public static ReadingSpec Find(string eventName)
        {
            for (int i = 0; i < All.Length; i++)
            {
                if (All[i].Name == eventName)
                {
                    return All[i];
                }
            }

            return null;
        }

        /// <summary>The kind stored under <paramref name="code"/>, or null.</summary>
        public static ReadingSpec FromCode(int code)
        {
            for (int i = 0; i < All.Length; i++)
            {
                if (All[i].Code == code)
                {
                    return All[i];
                }
            }

            return null;
        }

        /// <summary>
        /// The table as the dashboard reads it: <c>{"kinds":[{"name":"temperature","code":1,"field":"record",
        /// "unit":"°C","scale":10,"min":-400,"max":800,"telemetry":true,"zone":false,"raw":false},…]}</c>
        /// (non-ASCII escaped, so the text is ASCII). Null when <paramref name="w"/> is too small (1024 characters do).
        /// </summary>
        public static string ToJson(JsonWriter w)
        {
            w.Reset();
            w.BeginObject();
            w.Name("kinds");
            w.BeginArray();
            for (int i = 0; i < All.Length; i++)
            {
                ReadingSpec s = All[i];
                w.BeginObject();
                w.Property("name", s.Name);
                w.Property("code", s.Code);
                w.Property("field", s.Field);
                w.Property("unit", s.Unit);
                w.Property("scale", ReadingSpec.Scale);
                w.Property("min", s.Min);
                w.Property("max", s.Max);
                w.Property("telemetry", s.IsTelemetry);
                w.Property("zone", s.HasZone);
                w.Property("raw", s.HasRaw);
                w.EndObject();
            }

            w.EndArray();
            w.EndObject();
            return w.ToString();
        }
    }
}
