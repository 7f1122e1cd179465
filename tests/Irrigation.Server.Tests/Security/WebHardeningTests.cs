using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Irrigation.Server.Security;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;
using static Irrigation.Server.Tests.Security.BrowserRequests;

namespace Irrigation.Server.Tests.Security;

/// <summary>Security headers, cross-site request refusal and the dashboard socket's Origin check, on one server.</summary>
public sealed partial class WebHardeningTests
{
    [Fact]
    public async Task EveryResponse_PageScriptsApiErrorsAndRefusals_CarriesTheSecurityHeaders()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.HttpBase };
        using var authorized = server.Http(alice);

        var responses = new List<HttpResponseMessage>
        {
            await http.GetAsync(""),
            await http.GetAsync("js/app.js"),
            await http.GetAsync("css/app.css"),
            await http.GetAsync("healthz"),
            await http.GetAsync("api/devices"),                     // 401
            await authorized.GetAsync("api/devices"),
            await authorized.GetAsync("api/devices/nope/events"),   // 404
            await http.GetAsync("no/such/file"),                    // 404 of the framework
            await http.GetAsync("clients/alice"),                   // the socket's 401
            await SendAsync(http, HttpMethod.Post, "api/session", new { token = alice }, origin: EvilOrigin), // 403
        };

        Assert.Equal("text/html", responses[0].Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, responses[^1].StatusCode);
        foreach (var response in responses)
        {
            AssertSecurityHeaders(response);
            response.Dispose();
        }

        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.Contains("script-src 'self';", SecurityHeaders.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe", SecurityHeaders.ContentSecurityPolicy);
    }

    [Fact]
    public async Task CookiePost_FromAnotherSite_Is403AndSendsNothing_FromTheDashboardOrWithBearer_Works()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm, zones: ["zone1"]);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.HttpBase };
        var self = server.HttpBase.GetLeftPart(UriPartial.Authority);
        var cookie = CookiePair(await SignInAsync(http, alice, self));
        var stop = new { zones = Array.Empty<string>() };

        using var crossSite = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/stop", stop, cookie, EvilOrigin);
        using var nullOrigin = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/stop", stop, cookie, "null");
        using var fetchMetadataOnly = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/stop", stop, cookie, fetchSite: "cross-site");
        using var signOutCrossSite = await SendAsync(http, HttpMethod.Delete, "api/session", null, cookie, EvilOrigin);
        var body = await crossSite.Content.ReadFromJsonAsync<Irrigation.Server.Api.ApiError>();
        await Task.Delay(300);
        var sentBeforeAllowed = controller.Socket.Count(f => TestSocket.Event(f) == "stop");
        using var sameOrigin = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/stop", stop, cookie, self, fetchSite: "same-origin");
        using var bearerCrossSite = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/stop", stop, origin: EvilOrigin, bearer: alice);
        using var noBrowser = await SendAsync(http, HttpMethod.Post, "api/devices/farm-01/stop", stop, cookie);
        using var stillSignedIn = await SendAsync(http, HttpMethod.Get, "api/session", null, cookie);

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Contains("cross-site", body!.Error);
        Assert.Equal(HttpStatusCode.Forbidden, nullOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fetchMetadataOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, signOutCrossSite.StatusCode);
        Assert.Equal(0, sentBeforeAllowed);
        Assert.Equal(HttpStatusCode.Accepted, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, bearerCrossSite.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, noBrowser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        await controller.Socket.WaitForAsync(_ => controller.Socket.Count(f => TestSocket.Event(f) == "stop") == 3, "the three allowed stops");
    }

    [Fact]
    public async Task DashboardUpgrade_ForeignOriginWithAValidCookie_IsRefused_OwnOriginConnects()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.HttpBase };
        var self = server.HttpBase.GetLeftPart(UriPartial.Authority);
        var cookie = CookiePair(await SignInAsync(http, alice, self));
        var uri = new Uri(server.WsBase, "clients/alice");

        await AssertUpgradeRefusedAsync(() => TestSocket.ConnectAsync(uri, Handshake(cookie, EvilOrigin)));
        await AssertUpgradeRefusedAsync(() => TestSocket.ConnectAsync(uri, Handshake(cookie, "http://" + server.HttpBase.Host + ":1")));
        await using var board = await TestSocket.ConnectAsync(uri, Handshake(cookie, self));

        await board.WaitForEventAsync("snapshot");
    }

    [Fact]
    public void DashboardFiles_NoInlineScriptHandlerOrStyle()
    {
        var root = RepoPaths.Combine("server", "Irrigation.Server", "wwwroot");
        var pages = Directory.GetFiles(root, "*.html", SearchOption.AllDirectories);
        var scripts = Directory.GetFiles(Path.Combine(root, "js"), "*.js", SearchOption.AllDirectories);

        var offences = pages.SelectMany(f => Offences(root, f, InlineInMarkup()))
            .Concat(scripts.SelectMany(f => Offences(root, f, InlineFromScript())))
            .ToList();

        Assert.NotEmpty(pages);
        Assert.NotEmpty(scripts);
        Assert.Empty(offences);
    }

    private static IEnumerable<string> Offences(string root, string file, Regex pattern) =>
        pattern.Matches(File.ReadAllText(file)).Select(m => $"{Path.GetRelativePath(root, file)}: {m.Value}");

    // What the Content-Security-Policy would refuse in a page: <script> without src, <style>, on…= handlers,
    // style= attributes, javascript: URLs.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineInMarkup();

    // … and what a script could do to get around it: markup from strings (which may carry handlers), handler or style
    // attributes, code from strings.
    [GeneratedRegex(@"\.(inner|outer)HTML\s*=|insertAdjacentHTML\(|document\.write|setAttribute\(\s*['""](on|style)|\beval\(|new Function\(|set(Timeout|Interval)\(\s*['""`]")]
    private static partial Regex InlineFromScript();
}
