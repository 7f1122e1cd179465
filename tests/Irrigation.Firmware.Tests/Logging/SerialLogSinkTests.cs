using System.Threading;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Logging
{
    /// <summary>The serial log on the model UART (System.IO.Ports' SerialPort).</summary>
    public class SerialLogSinkTests : ModelTest
    {
        [Fact]
        public void WriteLine_AnyLine_EndsInCrLfForTerminals()
        {
            var sink = new SerialLogSink(23, 13, 115200);

            sink.WriteLine("[00001.000] I boot: running");
            sink.WriteLine("[00002.000] I link: connected attempt=1");

            Assert.Equal("[00001.000] I boot: running\r\n[00002.000] I link: connected attempt=1\r\n", ModelSerial.Output);
            Assert.Equal(115200, ModelSerial.Port.BaudRate);
            Assert.Equal(500, ModelSerial.Port.WriteTimeout);
        }

        [Fact]
        public void TryWriteLine_AnotherWriterStuckInTheUart_ReturnsAtOnceWithoutWriting()
        {
            var sink = new SerialLogSink(23, 13, 115200);
            ModelSerial.Gate = new ManualResetEventSlim(false);
            var writer = new Thread(() => sink.WriteLine("stuck")) { IsBackground = true };
            writer.Start();
            Assert.True(Eventually(() => ModelSerial.Waiting == 1));

            Assert.False(sink.TryWriteLine("reboot line"));

            ModelSerial.Gate.Set();
            writer.Join();
            ModelSerial.Gate = null;
            Assert.True(sink.TryWriteLine("after"));
            Assert.Equal(new[] { "stuck", "after" }, ModelSerial.Lines);
        }

        [Fact]
        public void WriteLine_PortThrows_NeverThrows()
        {
            var sink = new SerialLogSink(23, 13, 115200);
            ModelSerial.WriteFailure = new System.TimeoutException();

            sink.WriteLine("lost");
            Assert.False(sink.TryWriteLine("lost too"));

            ModelSerial.WriteFailure = null;
            sink.WriteLine("kept");
            Assert.Equal(new[] { "kept" }, ModelSerial.Lines);
        }
    }
}
