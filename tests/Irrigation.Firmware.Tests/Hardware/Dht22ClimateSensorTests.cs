using System.Device.Gpio;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Firmware.Hardware;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Hardware
{
    /// <summary>The DHT22 adapter on the model binding: its ranges are the reading kinds' (ReadingSpecs).</summary>
    public class Dht22ClimateSensorTests : ModelTest
    {
        private Dht22ClimateSensor NewSensor() =>
            new Dht22ClimateSensor(BoardConfig.DhtEchoPin, BoardConfig.DhtTriggerPin, new GpioController(), Rig.NewLog());

        [Fact]
        public void Read_TemperatureAtTheEdgesOfItsReadingKind_Valid()
        {
            ModelBoard.DhtDeciCelsius = ReadingSpecs.Temperature.Min;
            Assert.Equal(ReadingSpecs.Temperature.Min, NewSensor().Read().TemperatureDeciCelsius);

            ModelBoard.DhtDeciCelsius = ReadingSpecs.Temperature.Max;
            ClimateSample hot = NewSensor().Read();
            Assert.True(hot.IsValid);
            Assert.Equal(ReadingSpecs.Temperature.Max, hot.TemperatureDeciCelsius);
        }

        [Fact]
        public void Read_TemperatureOutsideItsReadingKind_FailedRead()
        {
            ModelBoard.DhtDeciCelsius = ReadingSpecs.Temperature.Max + 1;

            Assert.False(NewSensor().Read().IsValid);
        }

        [Fact]
        public void Read_HumidityAboveItsReadingKind_PassedOnForTheCoreToDropAlone()
        {
            ModelBoard.DhtDeciPercent = ReadingSpecs.Humidity.Max + 1;

            ClimateSample sample = NewSensor().Read();

            Assert.True(sample.IsValid);
            Assert.Equal(ClimateCheck.HumidityOutOfRange, ClimateCheck.Check(sample));   // the temperature is kept
        }

        [Fact]
        public void Read_SensorUnplugged_FailedRead()
        {
            ModelBoard.DhtConnected = false;
            ModelBoard.DhtFailedReadMs = 1;

            Assert.False(NewSensor().Read().IsValid);
        }
    }
}
