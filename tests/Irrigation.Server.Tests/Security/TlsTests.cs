using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using Irrigation.Server.Cli;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// The server itself on https:// and wss://, with a certificate the test made, configured the documented way
/// (<c>--urls https://…</c> and <c>Kestrel:Certificates:Default:Path</c> / <c>KeyPath</c> / <c>Password</c>).
/// </summary>
public sealed class TlsTests : IDisposable
{
    private const string KeyPassword = "correct horse battery staple";
    private readonly string _dir = TestServer.NewTempDir();

    [Fact]
    public async Task ControllerAndDashboard_OverWssWithTheConfiguredCertificate_EventsFlow()
    {
        using var ca = TestCertificateAuthority.Create();
        var alice = await CliAsync("users", "add", "alice");
        var farm = await CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1");
        await using var server = await StartHttpsAsync(ca);
        await using var clients = new TlsClients(ca, server.Address!);

        var board = await clients.ConnectDashboardAsync("alice", alice);
        await using var controller = await clients.ConnectControllerAsync("farm-01", farm);
        await controller.TemperatureAsync(1_764_547_200, 223);
        await controller.WaitAckAsync(1);
        var reading = await board.WaitForEventAsync("temperature");
        using var http = clients.Http();
        var health = await http.GetAsync("healthz");
        var signIn = await http.PostAsJsonAsync("api/session", new { token = alice });

        Assert.Equal("https", server.Address!.Scheme);
        Assert.Equal(223, reading.GetProperty("data").GetProperty("record").GetInt32());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // Served over TLS, the session cookie never travels over plain http.
        Assert.Contains("secure", signIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ClientTrustingAnotherCa_RefusesTheServer()
    {
        using var ca = TestCertificateAuthority.Create();
        using var stranger = TestCertificateAuthority.Create("Someone else's CA");
        await using var server = await StartHttpsAsync(ca);
        await using var trusting = new TlsClients(ca, server.Address!);
        await using var distrusting = new TlsClients(stranger, server.Address!);
        using var http = distrusting.Http();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("healthz"));
        var socketRefused = await Assert.ThrowsAnyAsync<Exception>(() => distrusting.OpenAsync(""));
        using var trusted = trusting.Http();
        var ok = await trusted.GetAsync("healthz");

        Assert.IsType<AuthenticationException>(refused.InnerException);
        Assert.Contains(Chain(socketRefused), e => e is AuthenticationException);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task MissingCertificateFile_ServerStopsAndNamesTheFile()
    {
        var missing = Path.Combine(_dir, "no-such-cert.pem");

        var (code, stdout, stderr) = await ServerProcess.RunAsync("--urls", "https://127.0.0.1:0", "--data-dir", _dir,
            "--Kestrel:Certificates:Default:Path", missing, "--Kestrel:Certificates:Default:KeyPath", missing + ".key");

        Assert.NotEqual(0, code);
        Assert.Contains(missing, stdout + stderr);
    }

    private async Task<ServerProcess> StartHttpsAsync(TestCertificateAuthority ca)
    {
        var (certificate, key) = ca.WriteServerPem(_dir, KeyPassword);
        return await ServerProcess.StartAsync(_dir, "--urls", "https://127.0.0.1:0",
            "--Kestrel:Certificates:Default:Path", certificate,
            "--Kestrel:Certificates:Default:KeyPath", key,
            "--Kestrel:Certificates:Default:Password", KeyPassword);
    }

    private async Task<string> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(await ToolCommands.RunAsync([.. args, "--data-dir", _dir], stdout, stderr) == 0, stderr.ToString());
        return stdout.ToString().TrimEnd('\n').Split('\n')[^1];
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    public void Dispose() => TestServer.TryDelete(_dir);
}
