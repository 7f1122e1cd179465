namespace Irrigation.Core.Config
{
    /// <summary>What <see cref="ControllerConfigReader"/> made of a config file.</summary>
    public sealed class ConfigReadResult
    {
        internal ConfigReadResult(ControllerConfig config, string[] errors, string[] warnings)
        {
            Errors = errors;
            Warnings = warnings;
            Config = errors.Length == 0 ? config : null;
        }

        /// <summary>True when the file gave a usable config (no errors).</summary>
        public bool IsValid
        {
            get { return Errors.Length == 0; }
        }

        /// <summary>The config, or null when there are errors (never half a config).</summary>
        public ControllerConfig Config { get; private set; }

        /// <summary>Every problem, one message each, starting with the key path (e.g. <c>zones[1].max_duration: ...</c>).</summary>
        public string[] Errors { get; private set; }

        /// <summary>Things that do not stop the controller (unknown keys, which may be typos).</summary>
        public string[] Warnings { get; private set; }
    }
}
