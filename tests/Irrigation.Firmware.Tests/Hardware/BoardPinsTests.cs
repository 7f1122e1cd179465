using System.Linq;
using Irrigation.Firmware.Hardware;

namespace Irrigation.Firmware.Tests.Hardware
{
    /// <summary>The boot's check of BoardConfig's pins (pure: no model needed).</summary>
    public class BoardPinsTests
    {
        private static PinUse[] Shipped(params PinUse[] extra) => BoardPins.Uses().Concat(extra).ToArray();

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Check_BoardAsShipped_NothingToFix(bool hasPsram)
        {
            Assert.Empty(BoardPins.Check(hasPsram));
        }

        [Fact]
        public void Uses_BoardAsShipped_NamesTheFlowMeterAndTheMasterRelay()
        {
            PinUse[] uses = BoardPins.Uses();

            Assert.Contains(uses, u => u.Name == "flow meter" && u.Gpio == BoardConfig.FlowMeterPin && u.Direction == PinUse.Input);
            Assert.Contains(uses, u => u.Name == "master relay" && u.Gpio == BoardConfig.MasterRelayPin && u.Direction == PinUse.Output);
            Assert.Equal(BoardConfig.SoilGpioPins, uses.Where(u => u.Direction == PinUse.Analog).Select(u => u.Gpio).ToArray());
        }

        [Fact]
        public void Check_FlowMeterOnARelayPin_NamesBothAndSaysWhatToDo()
        {
            string[] errors = BoardPins.Check(Shipped(new PinUse("flow meter 2", BoardConfig.RelayPins[1], PinUse.Input)), false);

            Assert.Equal("relay 2 and flow meter 2 are both on GPIO19: give each its own pin", Assert.Single(errors));
        }

        [Theory]
        [InlineData(35, "GPIO34-39 are input-only: an output needs another pin")]
        [InlineData(12, "a strapping pin (its level at reset selects the boot mode or the flash voltage; GPIO12 high stops the boot): choose another pin")]
        [InlineData(7, "GPIO6-11 belong to the SPI flash: choose another pin")]
        [InlineData(1, "GPIO1/3 are UART0, nanoFramework's debugger and deploy port: choose another pin")]
        [InlineData(24, "no such GPIO on the ESP32")]
        public void Check_RelayOnAPinThatCannotDriveIt_SaysWhy(int gpio, string why)
        {
            var uses = new[] { new PinUse("master relay", gpio, PinUse.Output) };

            Assert.Equal("master relay on GPIO" + gpio + ": " + why, Assert.Single(BoardPins.Check(uses, false)));
        }

        [Fact]
        public void Check_FlowMeterOnAnInputOnlyPin_Accepted()
        {
            Assert.Empty(BoardPins.Check(new[] { new PinUse("flow meter", 34, PinUse.Input) }, false));
        }

        [Fact]
        public void Check_Gpio16OnABoardWithPsram_RefusedThereOnly()
        {
            var uses = new[] { new PinUse("master relay", 16, PinUse.Output) };

            Assert.Empty(BoardPins.Check(uses, false));
            Assert.Equal("master relay on GPIO16: GPIO16/17 drive the PSRAM of this board (WROVER): choose another pin", Assert.Single(BoardPins.Check(uses, true)));
        }

        [Fact]
        public void Check_SoilProbeOnAnAdc2Channel_SaysUseAdc1()
        {
            var uses = new[] { new PinUse("soil probe 1", BoardPins.Adc1Gpio(12), PinUse.Analog) };

            Assert.Equal("soil probe 1 on no GPIO: not an ADC1 channel (ADC2 does not convert while Wi-Fi is on): use channels 0-7 (GPIO32-39)", Assert.Single(BoardPins.Check(uses, false)));
        }

        [Theory]
        [InlineData(0, 36)]
        [InlineData(3, 39)]
        [InlineData(4, 32)]
        [InlineData(7, 35)]
        [InlineData(8, -1)]
        public void Adc1Gpio_LogicalChannel_IsThePinOfTheEsp32PinOut(int channel, int gpio)
        {
            Assert.Equal(gpio, BoardPins.Adc1Gpio(channel));
        }
    }
}
