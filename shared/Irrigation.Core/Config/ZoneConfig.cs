namespace Irrigation.Core.Config
{
    /// <summary>One irrigation zone: a valve, its safety limit, and its optional soil rule.</summary>
    public sealed class ZoneConfig
    {
        /// <summary>Creates a zone with the safe defaults (no soil rule, 1800 s maximum).</summary>
        public ZoneConfig(string name)
        {
            Name = name;
            MaxDurationSeconds = 1800;
            SoilProbe = -1;
            DryDeciPercent = 300;
            WetDeciPercent = 450;
            RunSeconds = 600;
            MinIntervalSeconds = 3600;
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

        /// <summary>Lease of a soil-triggered run, in seconds (at most <see cref="MaxDurationSeconds"/>). Key <c>run</c>.</summary>
        public int RunSeconds { get; set; }

        /// <summary>Seconds after the end of a soil-triggered run before the next one may start. Key <c>min_interval</c>.</summary>
        public int MinIntervalSeconds { get; set; }
    }
}
