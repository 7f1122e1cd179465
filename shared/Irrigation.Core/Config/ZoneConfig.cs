namespace Irrigation.Core.Config
{
    /// <summary>One irrigation zone: a valve, its safety limit, and its optional soil rule.</summary>
    public sealed class ZoneConfig
    {
        /// <summary>Default soak between two cycles of a split run, in seconds.</summary>
        public const int DefaultSoakSeconds = 1800;

        /// <summary>Creates a zone with the safe defaults (no soil rule, 1800 s maximum, runs not split).</summary>
        public ZoneConfig(string name)
        {
            Name = name;
            MaxDurationSeconds = 1800;
            SoilProbe = -1;
            DryDeciPercent = 300;
            WetDeciPercent = 450;
            RunSeconds = 600;
            MinIntervalSeconds = 3600;
            CycleSeconds = 0;
            SoakSeconds = DefaultSoakSeconds;
        }

        /// <summary>Zone name on the wire (<c>zones</c> arrays), unique on the device. Key <c>name</c>.</summary>
        public string Name { get; set; }

        /// <summary>The longest lease any open of this zone may get, in seconds (1–86400). Key <c>max_duration</c>.</summary>
        public int MaxDurationSeconds { get; set; }

        /// <summary>Index into <see cref="ControllerConfig.SoilProbes"/> of this zone's probe, or -1 for none. Key <c>soil_probe</c>.</summary>
        public int SoilProbe { get; set; }

        /// <summary>Soil moisture below this (tenths of %) starts a soil-triggered run. Key <c>dry</c>.</summary>
        public int DryDeciPercent { get; set; }

        /// <summary>Soil moisture above this (tenths of %) stops a soil-triggered run; must exceed <see cref="DryDeciPercent"/> (hysteresis). Key <c>wet</c>.</summary>
        public int WetDeciPercent { get; set; }

        /// <summary>Water of a soil-triggered run, in seconds (at most <see cref="MaxDurationSeconds"/> unless the run is split in cycles). Key <c>run</c>.</summary>
        public int RunSeconds { get; set; }

        /// <summary>Seconds after the end of a soil-triggered run before the next one may start. Key <c>min_interval</c>.</summary>
        public int MinIntervalSeconds { get; set; }

        /// <summary>
        /// Longest single watering of a soil or schedule run, in seconds; a longer run is split into cycles of at
        /// most this long with <see cref="SoakSeconds"/> between them, so the water soaks in instead of running
        /// off. 0 = never split. Key <c>cycle</c>.
        /// </summary>
        public int CycleSeconds { get; set; }

        /// <summary>Least time between two cycles of a split run, in seconds. Key <c>soak</c>.</summary>
        public int SoakSeconds { get; set; }

        /// <summary>A copy of this zone.</summary>
        public ZoneConfig Copy()
        {
            ZoneConfig z = new ZoneConfig(Name);
            z.MaxDurationSeconds = MaxDurationSeconds;
            z.SoilProbe = SoilProbe;
            z.DryDeciPercent = DryDeciPercent;
            z.WetDeciPercent = WetDeciPercent;
            z.RunSeconds = RunSeconds;
            z.MinIntervalSeconds = MinIntervalSeconds;
            z.CycleSeconds = CycleSeconds;
            z.SoakSeconds = SoakSeconds;
            return z;
        }

        /// <summary>
        /// The most water one automatic run of this zone may ask for, in seconds: the lease cap, or a day when
        /// runs are split (each cycle is still one lease of at most <see cref="MaxDurationSeconds"/>).
        /// </summary>
        public int MaxRunSeconds
        {
            get { return CycleSeconds > 0 ? 86400 : MaxDurationSeconds; }
        }
    }
}
