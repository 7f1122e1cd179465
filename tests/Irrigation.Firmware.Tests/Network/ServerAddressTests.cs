using Irrigation.Firmware.Network;

namespace Irrigation.Firmware.Tests.Network
{
    /// <summary>The server URL's host, and whether connecting needs a DNS lookup (the warning at boot).</summary>
    public class ServerAddressTests
    {
        [Theory]
        [InlineData("ws://192.168.1.10:5000/", "192.168.1.10", true)]
        [InlineData("wss://10.0.0.2/", "10.0.0.2", true)]
        [InlineData("ws://irrigation.example.org:5000/", "irrigation.example.org", false)]
        [InlineData("ws://256.1.1.1/", "256.1.1.1", false)]
        [InlineData("ws://1.2.3/", "1.2.3", false)]
        [InlineData("ws://1.2.3.4.5/", "1.2.3.4.5", false)]
        [InlineData("ws://localhost?x", "localhost", false)]
        public void HostOf_Url_IsIpv4LiteralOnlyForDottedQuads(string url, string host, bool literal)
        {
            Assert.Equal(host, ServerAddress.HostOf(url));
            Assert.Equal(literal, ServerAddress.IsIpv4Literal(ServerAddress.HostOf(url)));
        }

        [Fact]
        public void HostOf_NoScheme_IsNull()
        {
            Assert.Null(ServerAddress.HostOf("192.168.1.10"));
            Assert.False(ServerAddress.IsIpv4Literal(null));
        }
    }
}
