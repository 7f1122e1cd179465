using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Irrigation.Server.Security;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// Requests shaped as a browser sends them: with the dashboard's session cookie, an Origin, Sec-Fetch-Site. For
/// the cross-site checks, directly or through a proxy (the client's handler decides).
/// </summary>
public static class BrowserRequests
{
    /// <summary>A foreign page's origin.</summary>
    public const string EvilOrigin = "https://evil.example";

    /// <summary>Signs in with POST /api/session from <paramref name="origin"/>; returns the Set-Cookie header.</summary>
    public static async Task<string> SignInAsync(HttpClient http, string token, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/session") { Content = JsonContent.Create(new { token }) };
        request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single();
    }

    /// <summary>The name=value part of a Set-Cookie header, as a browser sends it back.</summary>
    public static string CookiePair(string setCookie) => setCookie.Split(';')[0];

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="path"/> with a JSON body and the given browser headers
    /// (null: header absent); returns the response (the caller disposes it).
    /// </summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, object? body,
        string? cookie = null, string? origin = null, string? bearer = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return http.SendAsync(request);
    }

    /// <summary>Sets the cookie and Origin of a WebSocket handshake.</summary>
    public static Action<ClientWebSocketOptions> Handshake(string cookie, string origin) => o =>
    {
        o.SetRequestHeader("Cookie", cookie);
        o.SetRequestHeader("Origin", origin);
    };

    /// <summary>Asserts the security headers every response carries.</summary>
    public static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} ({(int)response.StatusCode})";
        var policy = Header(response, "Content-Security-Policy");
        Assert.True(policy == SecurityHeaders.ContentSecurityPolicy, $"{what}: Content-Security-Policy '{policy}'");
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: no X-Content-Type-Options: nosniff");
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", $"{what}: no Referrer-Policy: no-referrer");
        Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{what}: no X-Frame-Options: DENY");
    }

    /// <summary>A response header's value (or content header's), null when absent.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    /// <summary>The WebSocket handshake <paramref name="connect"/> makes is refused before the upgrade (401 or 403).</summary>
    public static async Task AssertUpgradeRefusedAsync(Func<Task<TestSocket>> connect)
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(connect);
        Assert.Matches("'40[13]'", error.Message);
    }
}
