// COMPILE-ONLY FACADE - NEVER DEPLOYED: the enums of the package named below, every member of each enum in the
// real order with the real value (apidiff's listings carry no implicit values and no order, so each enum here was
// checked by hand against the real source file named above it). The host tests compile this file too
// (tests/Irrigation.Firmware.Tests), so the models use exactly these enums.
// Package: nanoFramework.System.Net 1.11.54
namespace System.Net.Security
{
    // nanoframework/System.Net@v1.11.54 nanoFramework.System.Net/Security/NetworkSecurity.cs (explicit values)
    public enum SslVerification
    {
        NoVerification = 1,
        VerifyPeer = 2,
        CertificateRequired = 4,
        VerifyClientOnce = 8,
    }
}
