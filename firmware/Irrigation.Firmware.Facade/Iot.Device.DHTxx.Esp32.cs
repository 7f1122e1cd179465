// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.Iot.Device.Dhtxx.Esp32 (and the two UnitsNet.nanoFramework types it returns)
#nullable enable
using System;
using System.Device.Gpio;
using UnitsNet;

namespace Iot.Device.DHTxx.Esp32
{
    public abstract class DhtBase : IDisposable
    {
        public DhtBase(int pinEcho, int pinTrigger, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical, GpioController? gpioController = null, bool shouldDispose = true) => throw new NotImplementedException();

        public bool IsLastReadSuccessful => throw new NotImplementedException();

        public Temperature Temperature => throw new NotImplementedException();

        public RelativeHumidity Humidity => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }

    public class Dht22 : DhtBase
    {
        public Dht22(int pinEcho, int pinTrigger, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical, GpioController? gpioController = null, bool shouldDispose = true)
            : base(pinEcho, pinTrigger, pinNumberingScheme, gpioController, shouldDispose) => throw new NotImplementedException();
    }
}

namespace UnitsNet
{
    public struct Temperature
    {
        public double DegreesCelsius => throw new NotImplementedException();
    }

    public struct RelativeHumidity
    {
        public double Percent => throw new NotImplementedException();
    }
}
