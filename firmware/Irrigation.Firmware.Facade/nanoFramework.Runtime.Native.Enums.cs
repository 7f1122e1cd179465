// COMPILE-ONLY FACADE - NEVER DEPLOYED: the enums of the package named below, every member of each enum in the
// real order with the real value (apidiff's listings carry no implicit values and no order, so each enum here was
// checked by hand against the real source file named above it). The host tests compile this file too
// (tests/Irrigation.Firmware.Tests), so the models use exactly these enums.
// Package: nanoFramework.Runtime.Native 1.7.11
namespace nanoFramework.Runtime.Native
{
    // nanoframework/nanoFramework.Runtime.Native@v1.7.11 nanoFramework.Runtime.Native/RebootOption.cs (no member 4)
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }
}
