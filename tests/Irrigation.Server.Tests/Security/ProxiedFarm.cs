using System.Net;
using Irrigation.Server.Tests.Cluster;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// A farm co-op's setup: server instances on one PostgreSQL and one Redis (<see cref="TestCluster"/>) behind the
/// shipped nginx config, TLS with a test CA; user alice owns farm-01 (zone1). Clients connect to nginx from
/// <see cref="ClientAddress"/> and nginx to the instances from 127.0.0.1, so the address an instance logs tells
/// whether it believed X-Forwarded-For.
/// </summary>
public sealed class ProxiedFarm : IAsyncDisposable
{
    /// <summary>Where the clients connect from.</summary>
    public static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.2");

    private readonly TestCertificateAuthority _ca;
    private readonly string _dir;

    private ProxiedFarm(TestCertificateAuthority ca, string dir, TestCluster cluster, NginxProxy nginx, string alice, string farm)
    {
        _ca = ca;
        _dir = dir;
        Cluster = cluster;
        Nginx = nginx;
        AliceToken = alice;
        FarmToken = farm;
        Clients = new TlsClients(ca, nginx.Https, ClientAddress);
    }

    /// <summary>The server instances.</summary>
    public TestCluster Cluster { get; }

    /// <summary>nginx in front of them.</summary>
    public NginxProxy Nginx { get; }

    /// <summary>Clients of nginx's https side, trusting the test CA.</summary>
    public TlsClients Clients { get; }

    /// <summary>alice's user token.</summary>
    public string AliceToken { get; }

    /// <summary>farm-01's device token.</summary>
    public string FarmToken { get; }

    /// <summary>
    /// Starts <paramref name="instances"/> instances, trusting nginx's address (127.0.0.1) when
    /// <paramref name="trustProxy"/>, and nginx with the shipped config (changed further by <paramref name="edit"/>).
    /// </summary>
    public static async Task<ProxiedFarm> StartAsync(PostgresServer postgres, int instances, bool trustProxy, Func<string, string>? edit = null)
    {
        var ca = TestCertificateAuthority.Create();
        var dir = Support.TestServer.NewTempDir();
        var cluster = await TestCluster.StartAsync(postgres, instances, trustProxy ? ["--Proxy:TrustedAddresses", "127.0.0.1"] : []);
        try
        {
            var alice = await cluster.CliAsync("users", "add", "alice");
            var farm = await cluster.CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1");
            var (certificate, key) = ca.WriteServerPem(dir);
            var nginx = await NginxProxy.StartAsync(cluster.Instances.Select(i => i.Address!), certificate, key, edit);
            return new ProxiedFarm(ca, dir, cluster, nginx, alice, farm);
        }
        catch
        {
            await cluster.DisposeAsync();
            ca.Dispose();
            Support.TestServer.TryDelete(dir);
            throw;
        }
    }

    /// <summary>Every line every instance logged so far.</summary>
    public List<string> Logs => Cluster.Instances.SelectMany(i => i.Output).ToList();

    /// <summary>The index of the instance that logged <paramref name="text"/>, waiting for it.</summary>
    public async Task<int> InstanceLoggingAsync(string text)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (true)
        {
            var found = Cluster.Instances.FindIndex(i => i.Output.Any(l => l.Contains(text)));
            if (found >= 0)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no instance logged '{text}'");
            await Task.Delay(20);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Clients.DisposeAsync();
        await Nginx.DisposeAsync();
        await Cluster.DisposeAsync();
        _ca.Dispose();
        Support.TestServer.TryDelete(_dir);
    }
}
