// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.System.Device.Adc
using System;

namespace System.Device.Adc
{
    public abstract class AdcControllerBase
    {
        protected AdcControllerBase() => throw new NotImplementedException();

        public abstract int MaxValue { get; }

        public abstract AdcChannel OpenChannel(int channelNumber);
    }

    public class AdcController : AdcControllerBase
    {
        public AdcController() => throw new NotImplementedException();

        public override int MaxValue => throw new NotImplementedException();

        public override AdcChannel OpenChannel(int channelNumber) => throw new NotImplementedException();
    }

    public abstract class AdcChannelBase
    {
        protected AdcChannelBase() => throw new NotImplementedException();

        public abstract int ReadValue();
    }

    public class AdcChannel : AdcChannelBase, IDisposable
    {
        private AdcChannel() => throw new NotImplementedException();

        public override int ReadValue() => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }
}
