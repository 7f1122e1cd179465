namespace Irrigation.Server.Mqtt;

/// <summary>Where the broker is, from <c>Mqtt:Server</c>: <c>mqtt://host[:1883]</c> or <c>mqtts://host[:8883]</c>.</summary>
public sealed record BrokerAddress(string Host, int Port, bool Tls)
{
    /// <summary>Parses the setting; a mistake fails the start with what to write instead.</summary>
    public static BrokerAddress Parse(string server)
    {
        if (!Uri.TryCreate(server.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/") || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException(
                $"Mqtt:Server '{server}' is not a broker address: write mqtt://host:port (plain, port 1883 by default) or " +
                "mqtts://host:port (TLS, port 8883 by default); the account goes in Mqtt:Username and Mqtt:Password.");
        }

        var tls = uri.Scheme == "mqtts";
        return new BrokerAddress(uri.DnsSafeHost, uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port, tls);
    }

    /// <inheritdoc />
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
