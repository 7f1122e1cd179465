using System;
using System.Device.Gpio;
using Iot.Device.DHTxx.Esp32;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Firmware.Logging;
using UnitsNet;

namespace Irrigation.Firmware.Hardware
{
    /// <summary>
    /// The DHT22 through the ESP32 (RMT-based) binding, which needs two GPIOs on the same data line.
    /// A bad read is data: <see cref="ClimateSample.Failed"/>, never an exception.
    /// </summary>
    public sealed class Dht22ClimateSensor : IClimateSensor, IDisposable
    {
        private Dht22 _dht;

        /// <summary>Opens the sensor on the shared GPIO controller (which it must not dispose).</summary>
        public Dht22ClimateSensor(int echoPin, int triggerPin, GpioController gpio, FirmwareLog log)
        {
            try
            {
                // The binding waits 1 s in its constructor so the sensor settles.
                _dht = new Dht22(echoPin, triggerPin, PinNumberingScheme.Logical, gpio, false);
            }
            catch (Exception ex)
            {
                // No RMT channel or pin already taken: irrigation by schedule still works without climate data.
                _dht = null;
                log.Error("sensor", "dht init failed pin=" + echoPin + "/" + triggerPin + ": " + ex.Message);
            }
        }

        /// <summary>One measurement, in tenths; <see cref="ClimateSample.Failed"/> on any failure.</summary>
        public ClimateSample Read()
        {
            if (_dht == null)
            {
                return ClimateSample.Failed;
            }

            try
            {
                // Reading Temperature triggers the measurement; a failed one returns default(Temperature),
                // which must not be converted, so the flag is checked before touching the value.
                Temperature temperature = _dht.Temperature;
                if (!_dht.IsLastReadSuccessful)
                {
                    return ClimateSample.Failed;
                }

                // Within a second the binding reuses the same five bytes: this is the same measurement.
                RelativeHumidity humidity = _dht.Humidity;
                if (!_dht.IsLastReadSuccessful)
                {
                    return ClimateSample.Failed;
                }

                // The ranges are the reading kinds' (one definition, shared with the server). A temperature outside
                // its range means the frame is garbled although it passed the checksum: both values come from those
                // five bytes, so the read failed. A humidity outside its range (a DHT22 near saturation may say
                // 100.1 %) is passed on: the core's ClimateCheck drops it and keeps the temperature.
                int deciCelsius = ToTenths(temperature.DegreesCelsius);
                if (!ReadingSpecs.Temperature.Contains(deciCelsius))
                {
                    return ClimateSample.Failed;
                }

                return new ClimateSample(true, deciCelsius, ToTenths(humidity.Percent));
            }
            catch
            {
                return ClimateSample.Failed;
            }
        }

        /// <summary>Rounds to the nearest tenth, halves away from zero, without System.Math.</summary>
        public static int ToTenths(double value)
        {
            double scaled = value * 10.0;
            return scaled >= 0 ? (int)(scaled + 0.5) : -(int)(-scaled + 0.5);
        }

        /// <summary>Releases the RMT channel and the trigger pin.</summary>
        public void Dispose()
        {
            if (_dht != null)
            {
                _dht.Dispose();
                _dht = null;
            }
        }
    }
}
