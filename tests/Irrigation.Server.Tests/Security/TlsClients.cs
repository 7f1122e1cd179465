using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// Controllers, dashboards and REST calls over https:// and wss:// to one address (the server, or nginx in front of
/// it), trusting only <paramref name="ca"/>, connecting from <paramref name="from"/> when given.
/// </summary>
public sealed class TlsClients(TestCertificateAuthority ca, Uri https, IPAddress? from = null) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _sockets = [];
    private readonly List<IDisposable> _handlers = [];

    /// <summary>https://HOST:PORT/</summary>
    public Uri Https => https;

    /// <summary>The same address as a browser's Origin header: https://HOST:PORT.</summary>
    public string Origin => https.GetLeftPart(UriPartial.Authority);

    /// <summary>wss://HOST:PORT/ + <paramref name="path"/>.</summary>
    public Uri WebSocket(string path) => new("wss" + https.ToString()[5..] + path);

    /// <summary>An HTTP client with a bearer token when given.</summary>
    public HttpClient Http(string? bearer = null)
    {
        var client = ca.Http(https, from);
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Opens a WebSocket to <paramref name="path"/>; <paramref name="configure"/> sets request headers.</summary>
    public async Task<TestSocket> OpenAsync(string path, Action<ClientWebSocketOptions>? configure = null)
    {
        var invoker = new HttpMessageInvoker(ca.Handler(from));
        _handlers.Add(invoker);
        var socket = await TestSocket.ConnectAsync(WebSocket(path), configure, read: true, invoker);
        _sockets.Add(socket);
        return socket;
    }

    /// <summary>A controller: hello, then welcome.</summary>
    public async Task<TestController> ConnectControllerAsync(string device, string token, long boot = 1, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await OpenAsync("", configure);
        var controller = new TestController(socket, device, boot);
        await socket.SendAsync(TestController.Hello(device, token, boot, "zone1"));
        controller.Welcome = await socket.WaitForEventAsync("welcome");
        return controller;
    }

    /// <summary>A dashboard with ?access_token=, once its snapshot arrived.</summary>
    public async Task<TestSocket> ConnectDashboardAsync(string user, string token, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await OpenAsync($"clients/{user}?access_token={Uri.EscapeDataString(token)}", configure);
        await socket.WaitForEventAsync("snapshot");
        return socket;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }

        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }
    }
}
