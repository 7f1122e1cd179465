using System.Collections;

namespace Irrigation.Firmware.Hardware
{
    /// <summary>
    /// Checks the pins of <see cref="BoardConfig"/> against the classic ESP32 before any of them is opened, so an
    /// edited board file stops the boot with what to fix instead of failing half-way (a relay left floating) or,
    /// worse, running: nanoCLR lets the pulse counter take a pin a relay already drives (nf-interpreter
    /// targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/..._GpioPulseCounter.cpp ignores the reservation), and
    /// a relay on an input-only pin just never switches. Facts: the ESP-IDF GPIO table for the ESP32 (GPIO20, 24 and
    /// 28-31 do not exist; 6-11 are the SPI flash; 0, 2, 5, 12, 15 are strapping pins; 34-39 are input-only), the
    /// nanoFramework ADC channel map (docs/hardware.md), and PSRAM on GPIO16/17 of WROVER modules.
    /// </summary>
    public static class BoardPins
    {
        // nanoFramework's logical ADC1 channels 0-7 are these GPIOs, in order (ESP32 pin-out in nanoframework.github.io).
        private static readonly int[] s_adc1ChannelGpio = new int[] { 36, 37, 38, 39, 32, 33, 34, 35 };

        /// <summary>Every function <see cref="BoardConfig"/> gives a pin, optional ones only when the board has them.</summary>
        public static PinUse[] Uses()
        {
            ArrayList uses = new ArrayList();
            uses.Add(new PinUse("DHT22 receiver", BoardConfig.DhtEchoPin, PinUse.Input));
            uses.Add(new PinUse("DHT22 start pulse", BoardConfig.DhtTriggerPin, PinUse.Output));
            for (int i = 0; i < BoardConfig.RelayPins.Length; i++)
            {
                uses.Add(new PinUse("relay " + (i + 1), BoardConfig.RelayPins[i], PinUse.Output));
            }

            if (BoardConfig.MasterRelayPin != BoardConfig.NoPin)
            {
                uses.Add(new PinUse("master relay", BoardConfig.MasterRelayPin, PinUse.Output));
            }

            if (BoardConfig.FlowMeterPin != BoardConfig.NoPin)
            {
                uses.Add(new PinUse("flow meter", BoardConfig.FlowMeterPin, PinUse.Input));
            }

            for (int i = 0; i < BoardConfig.SoilAdcChannels.Length; i++)
            {
                uses.Add(new PinUse("soil probe " + (i + 1), Adc1Gpio(BoardConfig.SoilAdcChannels[i]), PinUse.Analog));
            }

            uses.Add(new PinUse("heartbeat", BoardConfig.HeartbeatPin, PinUse.Output));
            uses.Add(new PinUse("log TX", BoardConfig.LogTxPin, PinUse.Output));
            uses.Add(new PinUse("log RX", BoardConfig.LogRxPin, PinUse.Input));
            var all = new PinUse[uses.Count];
            uses.CopyTo(all, 0);
            return all;
        }

        /// <summary>What is wrong with <see cref="BoardConfig"/> on this board, one line each (empty: nothing).</summary>
        public static string[] Check(bool hasPsram)
        {
            ArrayList errors = new ArrayList();
            for (int i = 0; i < BoardConfig.SoilAdcChannels.Length; i++)
            {
                int gpio = Adc1Gpio(BoardConfig.SoilAdcChannels[i]);
                int listed = i < BoardConfig.SoilGpioPins.Length ? BoardConfig.SoilGpioPins[i] : -1;
                if (gpio != listed)
                {
                    errors.Add("soil probe " + (i + 1) + ": ADC channel " + BoardConfig.SoilAdcChannels[i] + " is " + GpioName(gpio)
                        + " but SoilGpioPins says " + GpioName(listed) + ": make them agree");
                }
            }

            string[] pinErrors = Check(Uses(), hasPsram);
            for (int i = 0; i < pinErrors.Length; i++)
            {
                errors.Add(pinErrors[i]);
            }

            return Strings(errors);
        }

        /// <summary>What is wrong with <paramref name="uses"/> on a classic ESP32 (with PSRAM: a WROVER), one line each.</summary>
        public static string[] Check(PinUse[] uses, bool hasPsram)
        {
            ArrayList errors = new ArrayList();
            for (int i = 0; i < uses.Length; i++)
            {
                PinUse use = uses[i];
                string why = Problem(use, hasPsram);
                if (why != null)
                {
                    errors.Add(use.Name + " on " + GpioName(use.Gpio) + ": " + why);
                }

                for (int j = 0; j < i; j++)
                {
                    if (uses[j].Gpio == use.Gpio)
                    {
                        errors.Add(uses[j].Name + " and " + use.Name + " are both on " + GpioName(use.Gpio) + ": give each its own pin");
                    }
                }
            }

            return Strings(errors);
        }

        /// <summary>The GPIO behind logical ADC1 channel <paramref name="channel"/>, or -1 for a channel without one (8, 9: internal sensors; 10-19: ADC2).</summary>
        public static int Adc1Gpio(int channel)
        {
            return channel >= 0 && channel < s_adc1ChannelGpio.Length ? s_adc1ChannelGpio[channel] : -1;
        }

        private static string Problem(PinUse use, bool hasPsram)
        {
            int gpio = use.Gpio;
            if (use.Direction == PinUse.Analog)
            {
                return gpio < 0 ? "not an ADC1 channel (ADC2 does not convert while Wi-Fi is on): use channels 0-7 (GPIO32-39)" : null;
            }

            if (gpio < 0 || gpio > 39 || gpio == 20 || gpio == 24 || (gpio >= 28 && gpio <= 31))
            {
                return "no such GPIO on the ESP32";
            }

            if (gpio >= 6 && gpio <= 11)
            {
                return "GPIO6-11 belong to the SPI flash: choose another pin";
            }

            if (gpio == 1 || gpio == 3)
            {
                return "GPIO1/3 are UART0, nanoFramework's debugger and deploy port: choose another pin";
            }

            if (gpio == 0 || gpio == 2 || gpio == 5 || gpio == 12 || gpio == 15)
            {
                return "a strapping pin (its level at reset selects the boot mode or the flash voltage; GPIO12 high stops the boot): choose another pin";
            }

            if (hasPsram && (gpio == 16 || gpio == 17))
            {
                return "GPIO16/17 drive the PSRAM of this board (WROVER): choose another pin";
            }

            if (use.Direction == PinUse.Output && gpio >= 34)
            {
                return "GPIO34-39 are input-only: an output needs another pin";
            }

            return null;
        }

        private static string[] Strings(ArrayList list)
        {
            var all = new string[list.Count];
            list.CopyTo(all, 0);
            return all;
        }

        private static string GpioName(int gpio)
        {
            return gpio < 0 ? "no GPIO" : "GPIO" + gpio;
        }
    }
}
