using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// Debian's nginx running the shipped deploy/nginx/irrigation.conf on 127.0.0.1, with the test's ports, certificate
/// and server instances put in where a farmer puts theirs. A main config of its own keeps the pid, logs and temp files
/// under a private prefix folder; <c>nginx -p PREFIX -c CONF -g 'daemon off;'</c> runs as a child process.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxProxy(Process process, string prefix, int httpsPort, int httpPort)
    {
        _process = process;
        _prefix = prefix;
        Https = new Uri($"https://127.0.0.1:{httpsPort}/");
        Http = new Uri($"http://127.0.0.1:{httpPort}/");
    }

    /// <summary>The shipped configuration.</summary>
    public static string ShippedConfig => RepoPaths.Combine("deploy", "nginx", "irrigation.conf");

    /// <summary>The TLS side: https://127.0.0.1:PORT/</summary>
    public Uri Https { get; }

    /// <summary>The plain-http side (a redirect to TLS).</summary>
    public Uri Http { get; }

    /// <summary>The shipped config's access log once <paramref name="complete"/> holds for it (nginx logs a request when it ends).</summary>
    public async Task<string> WaitForAccessLogAsync(Func<string, bool> complete)
    {
        var path = Path.Combine(_prefix, "irrigation.access.log");
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (true)
        {
            var log = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
            if (complete(log))
            {
                return log;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the access log did not get there within {TestSocket.Patience.TotalSeconds} s: {log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>nginx's error log so far.</summary>
    public string ErrorLog => File.Exists(Path.Combine(_prefix, "error.log")) ? File.ReadAllText(Path.Combine(_prefix, "error.log")) : "";

    /// <summary>
    /// Starts nginx in front of <paramref name="servers"/> (http://127.0.0.1:PORT/ each) with the certificate chain and
    /// key files; <paramref name="edit"/> may change the rendered site config further (shorter timeouts).
    /// </summary>
    public static async Task<NginxProxy> StartAsync(IEnumerable<Uri> servers, string certificate, string key, Func<string, string>? edit = null)
    {
        var binary = ServerBinaries.Find("nginx", "/usr/sbin/nginx");
        var prefix = TestServer.NewTempDir();
        var httpsPort = ServerBinaries.FreePort();
        var httpPort = ServerBinaries.FreePort();
        var site = Render(File.ReadAllText(ShippedConfig), servers, certificate, key, httpsPort, httpPort, Path.Combine(prefix, "irrigation.access.log"));
        File.WriteAllText(Path.Combine(prefix, "irrigation.conf"), edit is null ? site : edit(site));
        File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log info;
            events { worker_connections 512; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/irrigation.conf;
            }
            """);
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new NginxProxy(process, prefix, httpsPort, httpPort);
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", httpsPort);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }
            catch (SocketException)
            {
                var log = proxy.ErrorLog;
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"nginx did not listen on 127.0.0.1:{httpsPort}: {log}");
            }
        }
    }

    /// <summary>
    /// The shipped site config with a farmer's edits made for the test: listen on 127.0.0.1 (no IPv6), the test's
    /// certificate files, one upstream line per server, and the access log in the test's folder. Throws when the file
    /// no longer has what it edits.
    /// </summary>
    public static string Render(string config, IEnumerable<Uri> servers, string certificate, string key, int httpsPort, int httpPort, string accessLog)
    {
        if (!UpstreamServer().IsMatch(config))
        {
            throw Drifted("upstream 'server 127.0.0.1:5000 …;' lines");
        }

        // The first example line becomes one line per test server (with the same parameters); the others go.
        var first = true;
        config = UpstreamServer().Replace(config, example =>
        {
            var lines = first ? string.Concat(servers.Select(s => $"    server {s.Authority}{example.Groups["parameters"].Value};\n")) : "";
            first = false;
            return lines;
        });
        return Replace(config,
            ("    listen [::]:443 ssl;\n", ""),
            ("    listen [::]:80;\n", ""),
            ("listen 443 ssl;", $"listen 127.0.0.1:{httpsPort} ssl;"),
            ("listen 80;", $"listen 127.0.0.1:{httpPort};"),
            ("/etc/letsencrypt/live/farm.example.com/fullchain.pem", certificate),
            ("/etc/letsencrypt/live/farm.example.com/privkey.pem", key),
            ("/var/log/nginx/irrigation.access.log", accessLog));
    }

    private static string Replace(string config, params (string From, string To)[] edits)
    {
        foreach (var (from, to) in edits)
        {
            if (!config.Contains(from, StringComparison.Ordinal))
            {
                throw Drifted($"'{from.Trim()}'");
            }

            config = config.Replace(from, to, StringComparison.Ordinal);
        }

        return config;
    }

    private static InvalidOperationException Drifted(string what) =>
        new($"{ShippedConfig} no longer contains {what}: update {nameof(NginxProxy)}.{nameof(Render)} along with it.");

    /// <summary>Stops nginx (master and worker) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        TestServer.TryDelete(_prefix);
    }

    [GeneratedRegex(@"^ *server 127\.0\.0\.1:500\d(?<parameters>[^;\n]*);\n", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();
}
