using Irrigation.Core.Config;

namespace Irrigation.Core.Settings
{
    /// <summary>
    /// Switches the controller to <paramref name="next"/> (validated, stored): the components wind down what the
    /// new settings drop, the context takes them, and the components adjust to them.
    /// </summary>
    internal delegate void SettingsChange(ControllerConfig next);
}
