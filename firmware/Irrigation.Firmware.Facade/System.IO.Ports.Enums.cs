// COMPILE-ONLY FACADE - NEVER DEPLOYED: the enums of the package named below, every member of each enum in the
// real order with the real value (apidiff's listings carry no implicit values and no order, so each enum here was
// checked by hand against the real source file named above it). The host tests compile this file too
// (tests/Irrigation.Firmware.Tests), so the models use exactly these enums.
// Package: nanoFramework.System.IO.Ports 1.1.139
namespace System.IO.Ports
{
    // nanoframework/System.IO.Ports@v1.1.139 System.IO.Ports/Parity.cs
    public enum Parity
    {
        None = 0,
        Odd = 1,
        Even = 2,
    }

    // nanoframework/System.IO.Ports@v1.1.139 System.IO.Ports/StopBits.cs
    public enum StopBits
    {
        One = 1,
        Two = 2,
        OnePointFive = 3,
    }
}
