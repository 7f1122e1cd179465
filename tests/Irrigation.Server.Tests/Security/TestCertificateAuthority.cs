using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// A private certificate authority made for one test, as a farm without a public domain would run one: a CA
/// certificate, and a server certificate it signs for 127.0.0.1 and localhost, written as PEM files for Kestrel or
/// nginx. Clients built here trust exactly this CA (a custom root, not the machine's store, and validation is not
/// switched off: a wrong name or another CA's certificate is refused).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _serverKey;
    private readonly X509Certificate2 _server;

    private TestCertificateAuthority(string name)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        _serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", _serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _server = request.Create(_ca, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>A new CA and its server certificate.</summary>
    public static TestCertificateAuthority Create(string name = "Irrigation test CA") => new(name);

    /// <summary>
    /// Writes the server certificate (followed by the CA's, a full chain) and its key as PEM files into
    /// <paramref name="folder"/>; with a <paramref name="password"/> the key is encrypted PKCS#8.
    /// </summary>
    public (string Certificate, string Key) WriteServerPem(string folder, string? password = null)
    {
        var certificate = Path.Combine(folder, "server.crt");
        var key = Path.Combine(folder, "server.key");
        File.WriteAllText(certificate, _server.ExportCertificatePem() + "\n" + _ca.ExportCertificatePem() + "\n");
        File.WriteAllText(key, password is null
            ? _serverKey.ExportPkcs8PrivateKeyPem()
            : _serverKey.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        return (certificate, key);
    }

    /// <summary>
    /// The TLS check of a client that trusts this CA only: the name must match and the chain must end at this CA.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(presented);
    }

    /// <summary>
    /// A handler for HttpClient and ClientWebSocket that trusts this CA only, keeps no cookies of its own (tests set
    /// them), and connects from <paramref name="from"/> when given (another loopback address, so that a proxy's
    /// client and the proxy itself have different addresses).
    /// </summary>
    public SocketsHttpHandler Handler(IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        if (from is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    /// <summary>An HTTP client for <paramref name="baseAddress"/> over <see cref="Handler"/>.</summary>
    public HttpClient Http(Uri baseAddress, IPAddress? from = null) =>
        new(Handler(from)) { BaseAddress = baseAddress, Timeout = TestSocket.Patience };

    /// <inheritdoc />
    public void Dispose()
    {
        _server.Dispose();
        _serverKey.Dispose();
        _ca.Dispose();
    }
}
