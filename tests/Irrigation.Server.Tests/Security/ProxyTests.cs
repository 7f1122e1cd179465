using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Irrigation.Server.Options;
using Irrigation.Server.Tests.Support;
using static Irrigation.Server.Tests.Security.BrowserRequests;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// The shipped deploy/nginx/irrigation.conf in front of server instances sharing PostgreSQL and Redis, TLS terminated
/// by nginx with the test's certificate (<see cref="ProxiedFarm"/>).
/// </summary>
[Collection("postgres")]
public sealed class ProxyTests(PostgresFixture postgres)
{
    private const string Spoofed = "203.0.113.7";

    [Fact]
    public async Task ThroughNginx_TwoInstances_ControllerAndDashboardOnEachAndTheRealClientAddress()
    {
        await using var farm = await ProxiedFarm.StartAsync(postgres.Server, 2, trustProxy: true);
        var clients = farm.Clients;

        var board = await clients.ConnectDashboardAsync("alice", farm.AliceToken, o => o.SetRequestHeader("X-Forwarded-For", Spoofed));
        var boardOn = await farm.InstanceLoggingAsync("Dashboard of alice connected");
        var controller = await clients.ConnectControllerAsync("farm-01", farm.FarmToken, configure: o => o.SetRequestHeader("X-Forwarded-For", Spoofed));
        var controllerOn = await farm.InstanceLoggingAsync("Controller farm-01 online from");
        for (var i = 1; i <= 20; i++)
        {
            await controller.TemperatureAsync(1_764_547_200 + i, 200 + i);
        }

        await controller.WaitAckAsync(20);
        await board.WaitForAsync(f => f.TryGetProperty("seq", out var s) && s.GetInt64() == 20, "seq 20 through nginx");
        using var http = clients.Http();
        var cookie = await SignInAsync(http, farm.AliceToken, clients.Origin);
        using var page = await http.GetAsync("");
        using var metrics = await http.GetAsync("metrics");
        using var redirect = await new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }).GetAsync(farm.Nginx.Http);

        // least_conn put the controller on the instance without the dashboard; the events crossed over Redis.
        Assert.NotEqual(boardOn, controllerOn);
        var temperatures = board.Frames.Where(f => TestSocket.Event(f) == "temperature").Select(f => f.GetProperty("seq").GetInt64());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), temperatures);
        // The address nginx saw, not nginx's own and not what the client claimed.
        var online = farm.Cluster.Instances[controllerOn].Output.Single(l => l.Contains("Controller farm-01 online from"));
        Assert.Contains($"online from {ProxiedFarm.ClientAddress} ", online);
        Assert.DoesNotContain(farm.Logs, l => l.Contains(Spoofed));
        // X-Forwarded-Proto: the server knows the browser is on https, so the cookie is Secure.
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        AssertSecurityHeaders(page);
        Assert.StartsWith("max-age=", Header(page, "Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal("https", redirect.Headers.Location!.Scheme);
        // Per-instance counters are not served through the balancer.
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        // nginx logs a WebSocket when it ends: both instances as upstreams, and never the dashboard's ?access_token=.
        await board.CloseAsync();
        await controller.Socket.CloseAsync();
        var access = await farm.Nginx.WaitForAccessLogAsync(log => log.Contains("GET /clients/alice ") && log.Contains("GET / "));
        Assert.All(farm.Cluster.Instances, i => Assert.Contains(i.Address!.Authority, access));
        Assert.DoesNotContain(farm.AliceToken, access);
    }

    [Fact]
    public async Task ThroughNginx_ProxyNotTrusted_ForwardedHeadersIgnoredAndSaidSoOnce()
    {
        await using var farm = await ProxiedFarm.StartAsync(postgres.Server, 2, trustProxy: false);

        await farm.Clients.ConnectControllerAsync("farm-01", farm.FarmToken);
        using var http = farm.Clients.Http();
        var cookie = await SignInAsync(http, farm.AliceToken, farm.Clients.Origin);
        await SignInAsync(http, farm.AliceToken, farm.Clients.Origin);

        Assert.Contains(farm.Logs, l => l.Contains("Controller farm-01 online from 127.0.0.1 "));
        Assert.DoesNotContain(farm.Logs, l => l.Contains(ProxiedFarm.ClientAddress.ToString()));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        // Each instance says it once, however many requests come.
        var warnings = farm.Cluster.Instances.Select(i => i.Output.Count(l => l.Contains("carries X-Forwarded-For, which is ignored"))).ToList();
        Assert.All(warnings, w => Assert.InRange(w, 0, 1));
        Assert.Contains(1, warnings);
    }

    [Fact]
    public async Task ThroughNginx_CrossSiteCookiePostAndForeignOriginUpgrade_Refused_SameSiteAndBearerWork()
    {
        await using var farm = await ProxiedFarm.StartAsync(postgres.Server, 2, trustProxy: true);
        var clients = farm.Clients;
        var controller = await clients.ConnectControllerAsync("farm-01", farm.FarmToken);
        using var http = clients.Http();
        var cookie = CookiePair(await SignInAsync(http, farm.AliceToken, clients.Origin));
        var irrigate = new { zones = new[] { "zone1" }, duration = 60 };

        using var crossSite = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/irrigate", irrigate, cookie, EvilOrigin);
        using var sameSite = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/irrigate", irrigate, cookie, clients.Origin);
        using var bearer = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/irrigate", irrigate, origin: EvilOrigin, bearer: farm.AliceToken);
        await AssertUpgradeRefusedAsync(() => clients.OpenAsync("clients/alice", Handshake(cookie, EvilOrigin)));
        var board = await clients.OpenAsync("clients/alice", Handshake(cookie, clients.Origin));
        await board.WaitForEventAsync("snapshot");

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        AssertSecurityHeaders(crossSite);
        Assert.Equal(HttpStatusCode.Accepted, sameSite.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, bearer.StatusCode);
        var accepted = new HashSet<string>();
        foreach (var response in new[] { sameSite, bearer })
        {
            accepted.Add((await response.Content.ReadFromJsonAsync<Irrigation.Server.Api.CommandAccepted>())!.Id);
        }

        await controller.Socket.WaitForAsync(_ => controller.Socket.Count(f => TestSocket.Event(f) == "irrigate") == 2, "both allowed commands");
        var received = controller.Socket.Frames.Where(f => TestSocket.Event(f) == "irrigate").Select(f => f.GetProperty("data").GetProperty("id").GetString()!);
        Assert.Equal(accepted, received.ToHashSet());
    }

    [Fact]
    public async Task ThroughNginx_IdleController_OutlivesTheProxyTimeoutOnTheServersPings()
    {
        // The shipped timeouts scaled down with the keepalive: 3 s of proxy timeout against the test cluster's 1 s pings,
        // as 120 s against 30 s. A connection idle for twice the proxy timeout is still there: the pings cross nginx.
        await using var farm = await ProxiedFarm.StartAsync(postgres.Server, 1, trustProxy: true,
            site => Replace(Replace(site, "proxy_read_timeout 120s;", "proxy_read_timeout 3s;"), "proxy_send_timeout 120s;", "proxy_send_timeout 3s;"));
        var controller = await farm.Clients.ConnectControllerAsync("farm-01", farm.FarmToken);

        await Task.Delay(TimeSpan.FromSeconds(6));
        await controller.TemperatureAsync(1_764_547_200, 215);

        await controller.WaitAckAsync(1);
        Assert.False(controller.Socket.IsClosed);
    }

    [Fact]
    public void ShippedConfig_ProxyTimeouts_OutlastTheOfflineThreshold()
    {
        var config = File.ReadAllText(NginxProxy.ShippedConfig);
        var defaults = new RelayOptions();
        // A quiet controller is offline after 2 x the keepalive; nginx must not have cut it before the server decides.
        var threshold = TimeSpan.FromTicks(2 * Math.Max(defaults.KeepAliveInterval.Ticks, defaults.DashboardKeepAliveInterval.Ticks));

        foreach (var directive in new[] { "proxy_read_timeout", "proxy_send_timeout" })
        {
            var match = Regex.Match(config, $@"^\s*{directive} (\d+)s;", RegexOptions.Multiline);
            Assert.True(match.Success, $"{directive} missing from {NginxProxy.ShippedConfig}");
            Assert.True(TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value)) > threshold, $"{directive} must exceed {threshold}");
        }
    }

    private static string Replace(string text, string from, string to) =>
        text.Contains(from, StringComparison.Ordinal) ? text.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"'{from}' not in the config");
}
