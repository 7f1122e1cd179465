using System;
using System.Device.Gpio;
using System.Linq;
using Irrigation.Firmware.Hardware;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Hardware
{
    /// <summary>The flow meter adapter on the model of nanoFramework's GpioPulseCounter (Models/PulseCounterModel.cs).</summary>
    public class PulseFlowMeterTests : ModelTest
    {
        private const int Pin = BoardConfig.FlowMeterPin;

        [Fact]
        public void Open_MeterPin_CountsRisingEdgesBehindAOneMicrosecondGlitchFilter()
        {
            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());

            ModelPcnt.Unit unit = ModelPcnt.On(Pin);
            Assert.True(meter.IsCounting);
            Assert.True(unit.Counting);
            Assert.Equal(GpioPulsePolarity.Rising, unit.Polarity);
            Assert.Equal(1000, unit.FilterNs);
            Assert.True(ModelSerial.Contains("water: flow meter counting on GPIO" + Pin), string.Join("\n", ModelSerial.Lines));
            Assert.Equal(0, meter.ReadPulses());

            ModelPcnt.Pulses(Pin, 3);                    // real pulses: 2 ms each
            ModelPcnt.Pulses(Pin, 2, widthNs: 500);      // spikes from a relay switching
            ModelPcnt.Pulses(Pin, 1, widthNs: 1_800_000);   // the shortest pulse of a YF-S201 at 30 L/min

            Assert.Equal(4, meter.ReadPulses());
        }

        [Fact]
        public void Open_MeterPin_PinIsTheCountersAndAGpioPinCannotTakeIt()
        {
            PulseFlowMeter.Open(Pin, Rig.NewLog());

            Assert.True(ModelGpio.IsReserved(Pin));
            Assert.Throws<InvalidOperationException>(() => new GpioController().OpenPin(Pin, PinMode.Input));
        }

        [Fact]
        public void Open_NoPin_NoMeter()
        {
            Assert.Null(PulseFlowMeter.Open(BoardConfig.NoPin, Rig.NewLog()));
            Assert.Null(ModelPcnt.On(BoardConfig.NoPin));
        }

        [Fact]
        public void ReadPulses_PastTheSixteenBitHardwareCounter_KeepsTheWholeCount()
        {
            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());
            long total = 0;

            foreach (int burst in new[] { 30000, 10000, 40000, 70000 })
            {
                ModelPcnt.Pulses(Pin, burst);
                total += burst;
                Assert.Equal(total, meter.ReadPulses());
            }

            Assert.True(ModelPcnt.On(Pin).Overflow >= 4 * ModelPcnt.HighLimit, "the model never overflowed");
        }

        [Fact]
        public void ReadPulses_BetweenTheHardwareClearAndTheOverflowCallback_FailedReadThenTheTrueCount()
        {
            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());
            ModelPcnt.Pulses(Pin, ModelPcnt.HighLimit - 2);
            Assert.Equal(ModelPcnt.HighLimit - 2, meter.ReadPulses());

            ModelPcnt.HoldOverflowCallback = true;
            ModelPcnt.Pulses(Pin, 5);   // the hardware clears at 0x7FFF; the interrupt has not run yet

            Assert.Equal(-1, meter.ReadPulses());   // 3 on the native side: the core must not take it for a restart
            ModelPcnt.HoldOverflowCallback = false;
            Assert.Equal(ModelPcnt.HighLimit + 3, meter.ReadPulses());
        }

        [Fact]
        public void ReadPulses_CountStaysSmaller_PassedOnAfterThreeReadsAsARestart()
        {
            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());
            ModelPcnt.Pulses(Pin, 500);
            Assert.Equal(500, meter.ReadPulses());

            ModelPcnt.ClearCount(Pin);
            ModelPcnt.Pulses(Pin, 7);

            long[] reads = Enumerable.Range(0, PulseFlowMeter.SmallerReadsBeforeRestart).Select(_ => meter.ReadPulses()).ToArray();
            Assert.Equal(new long[] { -1, -1, 7 }, reads);
            ModelPcnt.Pulses(Pin, 2);
            Assert.Equal(9, meter.ReadPulses());
        }

        [Fact]
        public void ReadPulses_ReadThrows_FailedReadsThenCountsOnWithNothingLost()
        {
            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());
            ModelPcnt.Pulses(Pin, 10);
            ModelPcnt.ReadFailures = 2;

            Assert.Equal(-1, meter.ReadPulses());
            ModelPcnt.Pulses(Pin, 5);
            Assert.Equal(-1, meter.ReadPulses());
            Assert.Equal(15, meter.ReadPulses());
        }

        [Fact]
        public void Open_ChipWithoutPulseCounter_SaysWhatToDoAndEveryReadFails()
        {
            ModelPcnt.Supported = false;

            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());

            Assert.NotNull(meter);
            Assert.False(meter.IsCounting);
            Assert.Equal(-1, meter.ReadPulses());
            Assert.True(ModelSerial.Contains("E water: flow meter on GPIO" + Pin + ": this chip has no pulse counter"), string.Join("\n", ModelSerial.Lines));
            Assert.False(ModelGpio.IsReserved(Pin));
        }

        [Fact]
        public void Open_StartFails_LogsTheExceptionReleasesThePinAndReadsFail()
        {
            ModelPcnt.StartFailures = 1;

            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());

            Assert.False(meter.IsCounting);
            Assert.Equal(-1, meter.ReadPulses());
            Assert.True(ModelSerial.Contains("did not start (System.ArgumentException)"), string.Join("\n", ModelSerial.Lines));
            Assert.Null(ModelPcnt.On(Pin));
            Assert.False(ModelGpio.IsReserved(Pin));
        }

        [Fact]
        public void Open_EveryPulseCounterUnitTaken_LogsAndReadsFail()
        {
            for (int i = 0; i < ModelPcnt.Units; i++)
            {
                new GpioPulseCounter(32 + (i % 4)).Start();
            }

            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());

            Assert.Equal(-1, meter.ReadPulses());
            Assert.True(ModelSerial.Contains("did not start (System.NotSupportedException)"), string.Join("\n", ModelSerial.Lines));
        }

        [Fact]
        public void Dispose_Meter_StopsCountingAndGivesThePinBack()
        {
            PulseFlowMeter meter = PulseFlowMeter.Open(Pin, Rig.NewLog());

            meter.Dispose();

            Assert.False(meter.IsCounting);
            Assert.Equal(-1, meter.ReadPulses());
            Assert.False(ModelGpio.IsReserved(Pin));
        }
    }
}
