using System.Net;
using Irrigation.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Tests.Security;

/// <summary>Reading <c>Proxy:TrustedAddresses</c>: what is listed is all that is trusted, and a typo stops the server.</summary>
public sealed class ProxyTrustTests
{
    [Fact]
    public async Task TrustedAddresses_Unset_TrustsNobodyNotEvenLoopback()
    {
        await using var server = await TestServer.StartAsync();

        var options = server.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
    }

    [Theory]
    [InlineData("Proxy:TrustedAddresses:0", "10.0.0.5", "Proxy:TrustedAddresses:1", "192.168.0.0/16")]
    [InlineData("Proxy:TrustedAddresses", "10.0.0.5, 192.168.0.0/16", "Unused", "")]
    public async Task TrustedAddresses_ListOrCommaString_BecomeProxiesAndRanges(string key1, string value1, string key2, string value2)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { [key1] = value1, [key2] = value2 });

        var options = server.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal([IPAddress.Parse("10.0.0.5")], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("192.168.0.0/16")], options.KnownIPNetworks);
        Assert.Null(options.ForwardLimit);
    }

    [Theory]
    [InlineData("nginx.local")]
    [InlineData("10.0.0.5/8")]
    public async Task TrustedAddresses_NotAnAddressOrRange_ServerStopsNamingTheSettingAndTheEntry(string entry)
    {
        var dir = TestServer.NewTempDir();
        try
        {
            var (code, stdout, stderr) = await ServerProcess.RunAsync("--urls", "http://127.0.0.1:0", "--data-dir", dir, "--Proxy:TrustedAddresses", entry);

            Assert.NotEqual(0, code);
            Assert.Contains($"Proxy:TrustedAddresses: '{entry}' is not an IP address or a CIDR range", stdout + stderr);
        }
        finally
        {
            TestServer.TryDelete(dir);
        }
    }
}
