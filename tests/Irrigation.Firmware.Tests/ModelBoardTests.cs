using System.Threading;
using Irrigation.Core.Link;
using Irrigation.Firmware.Network;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests
{
    /// <summary>
    /// The isolation every model test relies on (ModelBoard): a thread a test leaves behind never reaches the next
    /// test's board. Each test plays "the test ends, the next one starts" with PowerOff/PowerOn in one flow.
    /// </summary>
    public class ModelBoardTests : ModelTest
    {
        [Fact]
        public void WifiConnectorRetryingForever_NextBoard_SeesNoneOfItsAttempts()
        {
            var wifi = new WifiConnector(20, 0, Rig.NewLog());   // never connects: retries at once, for ever
            wifi.Start("Farm", "password123");
            Assert.True(Eventually(() => ModelWifi.Attempts >= 10));

            ModelBoard.PowerOff();
            ModelBoard.PowerOn();
            Thread.Sleep(300);

            Assert.Equal(0, ModelWifi.Attempts);
            Assert.Equal(0, ModelWifi.CredentialWrites);
            Assert.Empty(ModelSerial.Lines);
        }

        [Fact]
        public void ConnectAttemptHungInTheHandshake_NextBoard_KeepsItsSocketCountAndLog()
        {
            ModelNetwork.Default = ServerBehaviour.Hang;
            var transport = Rig.NewTransport(Rig.NewLog());
            transport.Connect(Rig.IpUrl);
            Assert.True(Eventually(() => ModelNetwork.HungNow == 1));

            ModelBoard.PowerOff();   // lets the handshake go: the attempt's thread would close its socket and log
            ModelBoard.PowerOn();
            Thread.Sleep(300);

            Assert.Equal(0, ModelNetwork.OpenSockets);
            Assert.Empty(ModelSerial.Lines);
        }

        [Fact]
        public void OpenSocket_PowerOff_StopsTheLibraryThreads()
        {
            var transport = Rig.NewTransport(Rig.NewLog());
            transport.Connect(Rig.IpUrl);
            Assert.True(Eventually(() => transport.State == LinkState.Open));
            System.Net.WebSockets.ClientWebSocket socket = ModelNetwork.Sockets[0];

            ModelBoard.PowerOff();

            Assert.True(Eventually(() => !socket.ReceiveThreadAlive));
            ModelBoard.PowerOn();
        }
    }
}
