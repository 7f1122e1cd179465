using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The dashboard's address for Home Assistant's "Visit" link: <c>Mqtt:DashboardUrl</c>, or the first address this
/// server listens on with a wildcard host (0.0.0.0, [::], +, *) replaced by the machine's name.
/// </summary>
public sealed class DashboardLink(IOptions<MqttOptions> options, IServer server)
{
    private string? _url;

    /// <summary>The address, or null before the server listens.</summary>
    public string? Url => _url ??= Resolve();

    private string? Resolve()
    {
        if (options.Value.DashboardUrl is { Length: > 0 } configured)
        {
            return configured;
        }

        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        // Kestrel lists wildcard bindings as written (http://+:5000, http://[::]:5000); Uri cannot parse '+' and '*'.
        var parsed = new UriBuilder(first.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (parsed.Host is "0.0.0.0" or "[::]" or "::")
        {
            parsed.Host = Environment.MachineName.ToLowerInvariant();
        }

        parsed.Path = "/";
        return parsed.Uri.ToString();
    }
}
