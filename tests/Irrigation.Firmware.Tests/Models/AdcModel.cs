// BEHAVIOURAL MODEL of nanoFramework.System.Device.Adc 1.1.24: nanoframework/System.Device.Adc@v1.1.24
// System.Device.Adc/AdcController.cs (a second controller throws InvalidOperationException), AdcChannel.cs;
// the ESP32 converts at 12 bits (MaxValue 4095).
using System;

namespace System.Device.Adc
{
    public class AdcController
    {
        public AdcController()
        {
            // One per board: a second controller throws (the model board remembers the first).
            var board = Irrigation.Firmware.Tests.Models.ModelBoard.Current;
            lock (board.Lock)
            {
                if (board.AdcControllerCreated)
                {
                    throw new InvalidOperationException();
                }

                board.AdcControllerCreated = true;
            }
        }

        public int MaxValue => 4095;

        public AdcChannel OpenChannel(int channelNumber) => new AdcChannel(channelNumber);
    }

    public class AdcChannel : IDisposable
    {
        internal AdcChannel(int channel)
        {
            Channel = channel;
        }

        public int Channel { get; }

        public int ReadValue() => Irrigation.Firmware.Tests.Models.ModelBoard.AdcRaw;

        public void Dispose()
        {
        }
    }
}
