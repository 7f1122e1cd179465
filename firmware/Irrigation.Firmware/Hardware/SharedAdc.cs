using System.Device.Adc;

namespace Irrigation.Firmware.Hardware
{
    /// <summary>
    /// The one <see cref="AdcController"/> of the board: the runtime allows a single instance (a second
    /// constructor call throws), so every soil probe opens its channel here.
    /// </summary>
    public static class SharedAdc
    {
        private static readonly object s_lock = new object();
        private static AdcController s_controller;

        /// <summary>The controller, created on first use.</summary>
        public static AdcController Controller
        {
            get
            {
                lock (s_lock)
                {
                    if (s_controller == null)
                    {
                        s_controller = new AdcController();
                    }

                    return s_controller;
                }
            }
        }
    }
}
