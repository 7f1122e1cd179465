using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Security;

/// <summary>
/// Behind a reverse proxy (deploy/nginx): <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only when
/// they come from an address listed in <c>Proxy:TrustedAddresses</c> (IPs or CIDR ranges; none by default), so the
/// client address the server logs and throttles on, and the https the session cookie's Secure flag follows, are the
/// real ones. From anyone else the headers are ignored: a client cannot choose the address it is seen from.
/// </summary>
public static class ProxyTrust
{
    /// <summary>The setting: a JSON list, <c>Proxy__TrustedAddresses__0=…</c>, or one comma-separated string.</summary>
    public const string TrustedAddressesKey = "Proxy:TrustedAddresses";

    /// <summary>Reads <c>Proxy:TrustedAddresses</c> into the forwarded-headers options.</summary>
    public static IServiceCollection AddProxyTrust(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here nothing is trusted that the operator did not list.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            // Walk back through every listed proxy (a CDN in front of nginx), stopping at the first address not listed.
            o.ForwardLimit = null;
            foreach (var entry in Entries(configuration.GetSection(TrustedAddressesKey)))
            {
                if (entry.Contains('/'))
                {
                    // 10.0.0.5/8 is refused rather than read as 10.0.0.0/8: the operator meant one of the two.
                    var valid = System.Net.IPNetwork.TryParse(entry, out var network)
                        && IPAddress.TryParse(entry.AsSpan(0, entry.IndexOf('/')), out var start) && start.Equals(network.BaseAddress);
                    o.KnownIPNetworks.Add(valid ? network : throw Invalid(entry));
                }
                else
                {
                    o.KnownProxies.Add(IPAddress.TryParse(entry, out var address) ? address : throw Invalid(entry));
                }
            }
        });
        return services;
    }

    /// <summary>
    /// Applies the forwarded headers first in the pipeline when proxies are listed; otherwise says once in the log
    /// that a request came with them and was taken at its face (the usual sign of a proxy nobody listed).
    /// </summary>
    public static WebApplication UseProxyTrust(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        var trusted = options.KnownProxies.Select(a => a.ToString()).Concat(options.KnownIPNetworks.Select(n => n.ToString())).ToList();
        if (trusted.Count > 0)
        {
            app.Logger.LogInformation("Forwarded headers (X-Forwarded-For, X-Forwarded-Proto) trusted from {Proxies}", string.Join(", ", trusted));
            app.UseForwardedHeaders();
            return app;
        }

        var warned = 0;
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(ForwardedHeadersDefaults.XForwardedForHeaderName) && Interlocked.Exchange(ref warned, 1) == 0)
            {
                app.Logger.LogWarning(
                    "A request from {Remote} carries X-Forwarded-For, which is ignored: {Key} lists no proxy. Behind a reverse proxy, " +
                    "list its address there, or every client is seen (and throttled) as the proxy.",
                    context.Connection.RemoteIpAddress, TrustedAddressesKey);
            }

            return next(context);
        });
        return app;
    }

    private static IEnumerable<string> Entries(IConfigurationSection section)
    {
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return values.SelectMany(v => (v ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static InvalidOperationException Invalid(string entry) => new(
        $"{TrustedAddressesKey}: '{entry}' is not an IP address or a CIDR range. List the reverse proxy's address as the server " +
        "sees it, e.g. 10.0.0.5 or 10.0.0.0/24 (a range's address has no bits beyond its prefix).");
}
