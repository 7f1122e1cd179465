// BEHAVIOURAL MODEL of nanoFramework.Iot.Device.Dhtxx.Esp32 1.2.889 (and the two UnitsNet types it returns).
// Imitates nanoframework/nanoFramework.IoT.Device devices/Dhtxx.Esp32/DhtBase.cs: reading Temperature or Humidity
// runs ReadData(), which reuses the last bytes within 1 s of the last SUCCESSFUL measurement, otherwise drives
// the start pulse and waits on the RMT receiver with ReceiveTimeout = 1 s; an unplugged sensor therefore blocks
// the caller for the whole second (on the device a native wait: every managed thread stops with it) and
// returns default(...) with IsLastReadSuccessful = false.
using System;
using System.Device.Gpio;
using System.Threading;
using Irrigation.Firmware.Tests.Models;
using UnitsNet;

namespace Iot.Device.DHTxx.Esp32
{
    public abstract class DhtBase : IDisposable
    {
        private DateTime _lastMeasurement = DateTime.MinValue;

        protected DhtBase(int pinEcho, int pinTrigger, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical, GpioController gpioController = null, bool shouldDispose = true)
        {
        }

        public bool IsLastReadSuccessful { get; private set; }

        public Temperature Temperature
        {
            get
            {
                ReadData();
                return IsLastReadSuccessful ? new Temperature(ModelBoard.DhtDeciCelsius / 10.0) : default;
            }
        }

        public RelativeHumidity Humidity
        {
            get
            {
                ReadData();
                return IsLastReadSuccessful ? new RelativeHumidity(ModelBoard.DhtDeciPercent / 10.0) : default;
            }
        }

        public void Dispose()
        {
        }

        private void ReadData()
        {
            if (DateTime.UtcNow - _lastMeasurement < TimeSpan.FromSeconds(1))
            {
                return;
            }

            ModelBoard.CountDhtRead();
            if (ModelBoard.DhtConnected)
            {
                _lastMeasurement = DateTime.UtcNow;
                IsLastReadSuccessful = true;
                return;
            }

            Thread.Sleep(ModelBoard.DhtFailedReadMs);
            IsLastReadSuccessful = false;
        }
    }

    public class Dht22 : DhtBase
    {
        public Dht22(int pinEcho, int pinTrigger, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical, GpioController gpioController = null, bool shouldDispose = true)
            : base(pinEcho, pinTrigger, pinNumberingScheme, gpioController, shouldDispose)
        {
        }
    }
}

namespace UnitsNet
{
    public struct Temperature
    {
        public Temperature(double degreesCelsius)
        {
            DegreesCelsius = degreesCelsius;
        }

        public double DegreesCelsius { get; }
    }

    public struct RelativeHumidity
    {
        public RelativeHumidity(double percent)
        {
            Percent = percent;
        }

        public double Percent { get; }
    }
}
