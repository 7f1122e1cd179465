namespace Irrigation.Firmware
{
    /// <summary>
    /// Every pin the controller uses, in one place (classic ESP32: WROOM-32 / WROVER). No other file names a
    /// pin number. The wiring table in docs/hardware.md mirrors this file; change both together.
    /// </summary>
    /// <remarks>
    /// Avoided on purpose: the strapping pins GPIO0, 2, 5, 12 and 15 (a pull-up on GPIO12 at reset selects 1.8 V
    /// flash and the board does not boot), GPIO6-11 (SPI flash), GPIO16/17 (PSRAM on WROVER modules), GPIO1/3
    /// (UART0 carries the debugger's wire protocol) and every ADC2 pin for analog use (ADC2 is unavailable
    /// while Wi-Fi is on). <see cref="Hardware.BoardPins"/> checks these rules, and that no two functions share a
    /// pin, at every boot: an edited file that breaks one stops the board with what to fix.
    /// </remarks>
    public static class BoardConfig
    {
        /// <summary>The value of an optional pin the board does not have (<see cref="FlowMeterPin"/>, <see cref="MasterRelayPin"/>).</summary>
        public const int NoPin = -1;

        /// <summary>
        /// DHT22 data line, first GPIO: the RMT receiver that times the sensor's pulses. The data line
        /// (with its 10 kΩ pull-up to 3.3 V) is wired to both <see cref="DhtEchoPin"/> and <see cref="DhtTriggerPin"/>.
        /// </summary>
        public const int DhtEchoPin = 26;

        /// <summary>DHT22 data line, second GPIO: drives the start pulse. Same wire as <see cref="DhtEchoPin"/>.</summary>
        public const int DhtTriggerPin = 27;

        /// <summary>Relay inputs, one per zone, in zone order (zone 1 = index 0). Digital outputs only.</summary>
        public static readonly int[] RelayPins = new int[] { 18, 19, 21, 22 };

        /// <summary>
        /// True for the common optocoupler relay boards that switch ON when their input is LOW. The valve
        /// adapter then drives "off" = HIGH immediately after opening each pin.
        /// </summary>
        public const bool RelayActiveLow = true;

        /// <summary>
        /// Master valve or pump relay input (optional: <see cref="NoPin"/> when the board has none). The core opens it
        /// <c>master_lead</c> seconds before the first zone and closes it <c>master_lag</c> after the last, and a leak
        /// lock keeps it closed. Wire it to a channel of the same relay board as the zones, so the dead-man cuts its
        /// coil too. GPIO4: no strapping, flash, PSRAM or JTAG function (ESP-IDF GPIO table), so it stays quiet
        /// through a reset.
        /// </summary>
        public const int MasterRelayPin = 4;

        /// <summary>True when the master relay switches ON at a LOW input, like <see cref="RelayActiveLow"/>.</summary>
        public const bool MasterRelayActiveLow = RelayActiveLow;

        /// <summary>
        /// The flow meter's pulse output (optional: <see cref="NoPin"/> when the board has none), counted by the
        /// ESP32's hardware pulse counter (PCNT), which takes the pin for itself. A YF-S201 runs on 5 V: its output
        /// reaches this pin through a divider, never directly (README, "Wiring"). Digital input only, so an ADC2 pin
        /// is fine with Wi-Fi on; not GPIO36/39, which the ESP32 pulls low for about 80 ns whenever the ADC powers up
        /// (ESP32 errata, GPIO-3.11), and the soil probes use the ADC.
        /// </summary>
        public const int FlowMeterPin = 14;

        /// <summary>
        /// Soil probes: nanoFramework logical ADC channels, one per probe, in the order of the config's
        /// <c>soil</c> array. All on ADC1: channels 4, 5, 6, 7 = GPIO32, 33, 34, 35.
        /// </summary>
        public static readonly int[] SoilAdcChannels = new int[] { 4, 5, 6, 7 };

        /// <summary>The GPIO behind each entry of <see cref="SoilAdcChannels"/> (for the wiring table and logs).</summary>
        public static readonly int[] SoilGpioPins = new int[] { 32, 33, 34, 35 };

        /// <summary>
        /// Heartbeat for the hardware dead-man: toggled after every tick; a retriggerable monostable keeps the
        /// relay supply on only while it toggles (docs/hardware.md, "Dead-man"). GPIO25: digital output only here.
        /// </summary>
        public const int HeartbeatPin = 25;

        /// <summary>
        /// The dead-man's period on the wiring of docs/hardware.md (74HC4538/CD4538B: t = R·C = 220 kΩ × 100 µF
        /// ≈ 22 s; 20 s allowing for the capacitor's tolerance): the relay supply goes off when no heartbeat edge
        /// came for this long. Longer than any legitimate freeze (a failed DHT read blocks 1 s).
        /// </summary>
        public const int DeadManTimeoutMs = 20000;

        /// <summary>Serial log, second UART (COM2) transmit pin: connect to the RX of any 3.3 V USB-UART adapter.</summary>
        public const int LogTxPin = 23;

        /// <summary>Serial log, COM2 receive pin (mapped so the UART is complete; nothing is read from it).</summary>
        public const int LogRxPin = 13;

        /// <summary>Serial log speed, 8N1.</summary>
        public const int LogBaudRate = 115200;
    }
}
