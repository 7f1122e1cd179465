using System.Security.Cryptography;
using System.Text;

namespace Irrigation.Server.Auth;

/// <summary>Random bearer tokens; only their SHA-256 hash is stored.</summary>
public static class Tokens
{
    /// <summary>A new token: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the token's UTF-8 bytes. A fast hash is enough: tokens carry 256 bits of entropy.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Compares a token with a stored hash in constant time.</summary>
    public static bool Matches(string token, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(token), storedHash);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
