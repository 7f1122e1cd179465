// COMPILE-ONLY FACADE - NEVER DEPLOYED: the enums of the package named below, every member of each enum in the
// real order with the real value (apidiff's listings carry no implicit values and no order, so each enum here was
// checked by hand against the real source file named above it). The host tests compile this file too
// (tests/Irrigation.Firmware.Tests), so the models use exactly these enums.
// Package: nanoFramework.System.Device.Gpio 1.1.62
namespace System.Device.Gpio
{
    // nanoframework/System.Device.Gpio@v1.1.62 System.Device.Gpio/PinMode.cs: implicit values 0-7.
    public enum PinMode
    {
        Input,
        InputPullDown,
        InputPullUp,
        Output,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown,
    }

    // nanoframework/System.Device.Gpio@v1.1.62 System.Device.Gpio/PinNumberingScheme.cs: implicit values 0-1.
    public enum PinNumberingScheme
    {
        Logical,
        Board,
    }
}
