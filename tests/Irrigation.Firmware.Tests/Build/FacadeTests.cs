using System;
using System.IO;
using System.Linq;
using Irrigation.Tests.Support;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Irrigation.Firmware.Tests.Build
{
    /// <summary>
    /// What apidiff cannot check in the compile-only facade (firmware/Irrigation.Firmware.Facade): enum member
    /// order and implicit values, abstractness, and which of two same-named delegates an event uses. The expected
    /// values below were read in the real sources named beside each.
    /// </summary>
    public class FacadeTests
    {
        private static readonly string Folder = Environment.GetEnvironmentVariable("FACADE_DIR") ?? RepoPaths.Combine("firmware", "Irrigation.Firmware.Facade");

        public static TheoryData<string, string> RealEnums => new()
        {
            // nanoframework/System.Net@v1.11.54 nanoFramework.System.Net/NetworkHelper/NetworkHelperStatus.cs
            { "NetworkHelperStatus", "None, Started, NetworkIsReady, FailedNoNetworkInterface, TokenExpiredWaitingIPAddress, TokenExpiredWaitingDateTime, ErrorConnetingToWiFiWhileScanning, ExceptionOccurred, Reconnecting" },
            // nanoframework/System.Net@v1.11.54 nanoFramework.System.Net/Security/NetworkSecurity.cs
            { "SslVerification", "NoVerification = 1, VerifyPeer = 2, CertificateRequired = 4, VerifyClientOnce = 8" },
            // nanoframework/System.Device.Wifi@v1.5.147 System.Device.Wifi/WifiReconnectionKind.cs
            { "WifiReconnectionKind", "Automatic, Manual" },
            // nanoframework/System.Net.WebSockets@v1.1.167 WebSockets/WebSocketFrame/WebSocketState.cs
            { "WebSocketState", "None = 0, Connecting = 1, Open = 2, CloseSent = 3, CloseReceived = 4, Closed = 5, Aborted = 6" },
            // .../WebSocketMessageType.cs
            { "WebSocketMessageType", "Text = 0, Binary = 1" },
            // .../WebSocketCloseStatus.cs
            { "WebSocketCloseStatus", "ClosedAbnormally = 1006, NormalClosure = 1000, EndpointUnavailable = 1001, ProtocolError = 1002, InvalidMessageType = 1003, Reserved = 1004, Empty = 1005, InvalidPayloadData = 1007, PolicyViolation = 1008, MessageTooBig = 1009, MandatoryExtension = 1010, InternalServerError = 1011" },
            // nanoframework/System.Device.Gpio@v1.1.62 System.Device.Gpio/PinMode.cs, PinNumberingScheme.cs
            { "PinMode", "Input, InputPullDown, InputPullUp, Output, OutputOpenDrain, OutputOpenDrainPullUp, OutputOpenSource, OutputOpenSourcePullDown" },
            { "PinNumberingScheme", "Logical, Board" },
            // nanoframework/System.IO.Ports@v1.1.139 System.IO.Ports/Parity.cs, StopBits.cs
            { "Parity", "None = 0, Odd = 1, Even = 2" },
            { "StopBits", "One = 1, Two = 2, OnePointFive = 3" },
            // nanoframework/nanoFramework.Runtime.Native@v1.7.11 nanoFramework.Runtime.Native/RebootOption.cs
            { "RebootOption", "NormalReboot = 0, EnterNanoBooter = 1, ClrOnly = 2, EnterProprietaryBooter = 8" },
            // nanoframework/nanoFramework.Hardware.Esp32@v1.6.42 nanoFramework.Hardware.Esp32/NativeMemory.cs
            { "MemoryType", "All, Internal, SpiRam" },
            // .../Gpio/GpioPulsePolarity.cs
            { "GpioPulsePolarity", "Both, Falling, Rising" },
            // .../DeviceTypePins.cs
            { "DeviceTypes", "GPIO = 0 * ValueTypes.DeviceType, SPI = 1 * ValueTypes.DeviceType, I2C = 2 * ValueTypes.DeviceType, SERIAL = 3 * ValueTypes.DeviceType, PWM = 4 * ValueTypes.DeviceType, ADC = 5 * ValueTypes.DeviceType, I2S = 6 * ValueTypes.DeviceType, SDMMC = 8 * ValueTypes.DeviceType" },
        };

        private static SyntaxTreeRoot[] Sources() =>
            Directory.GetFiles(Folder, "*.cs")
                .Select(f => new SyntaxTreeRoot(Path.GetFileName(f), CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetCompilationUnitRoot()))
                .ToArray();

        private static string Members(EnumDeclarationSyntax e) =>
            string.Join(", ", e.Members.Select(m => m.Identifier.ValueText + (m.EqualsValue == null ? "" : " = " + m.EqualsValue.Value.ToString())));

        [Fact]
        public void Facade_EveryEnum_IsCheckedHere()
        {
            var declared = Sources().SelectMany(s => s.Root.DescendantNodes().OfType<EnumDeclarationSyntax>())
                .Where(e => e.Modifiers.Any(m => m.ValueText == "public"))
                .Select(e => e.Identifier.ValueText).OrderBy(n => n).ToArray();
            var checkedHere = RealEnums.Select(row => (string)row[0]).Append("DeviceFunction").OrderBy(n => n).ToArray();

            Assert.Equal(checkedHere, declared);
        }

        [Theory]
        [MemberData(nameof(RealEnums))]
        public void FacadeEnum_MembersOrderAndValues_AreTheRealOnes(string name, string real)
        {
            var declaration = Sources().SelectMany(s => s.Root.DescendantNodes().OfType<EnumDeclarationSyntax>()).Single(e => e.Identifier.ValueText == name);

            Assert.Equal(real, Members(declaration));
        }

        [Fact]
        public void FacadeEnum_DeviceFunction_HasEveryRealMemberInOrder()
        {
            var declaration = Sources().SelectMany(s => s.Root.DescendantNodes().OfType<EnumDeclarationSyntax>()).Single(e => e.Identifier.ValueText == "DeviceFunction");
            var members = declaration.Members.Select(m => m.Identifier.ValueText).ToArray();

            // DeviceTypePins.cs: SPI1-2, I2C1-2, COM1-4, PWM1-16, ADC1_CH0-19, I2S1-2, SDMMC1-2, 84 members.
            Assert.Equal(84, members.Length);
            Assert.Equal(new[] { "SPI1_MOSI", "SPI1_MISO", "SPI1_CLOCK" }, members.Take(3));
            Assert.Equal("COM2_TX", members[14]);
            Assert.Equal("DeviceTypes.SERIAL + (2 * ValueTypes.DeviceIndex) + 0", declaration.Members[14].EqualsValue.Value.ToString());
            Assert.Equal("SDMMC2_D3", members[^1]);
        }

        [Fact]
        public void FacadeWebSocket_State_IsAbstractAsInTheRealClass()
        {
            var webSocket = Class("WebSocket");
            var state = webSocket.Members.OfType<PropertyDeclarationSyntax>().Single(p => p.Identifier.ValueText == "State");

            Assert.Contains(state.Modifiers, m => m.ValueText == "abstract");
            Assert.Contains(webSocket.Modifiers, m => m.ValueText == "abstract");
        }

        [Fact]
        public void FacadeWebSocket_MessageReceived_UsesTheDelegateNestedInWebSocket()
        {
            var webSocket = Class("WebSocket");
            var nested = webSocket.Members.OfType<DelegateDeclarationSyntax>().SingleOrDefault(d => d.Identifier.ValueText == "MessageReceivedEventHandler");
            var received = webSocket.Members.OfType<EventFieldDeclarationSyntax>().Single(e => e.Declaration.Variables.Any(v => v.Identifier.ValueText == "MessageReceived"));

            Assert.NotNull(nested);
            Assert.Equal("MessageReceivedEventHandler", received.Declaration.Type.ToString());
        }

        private static ClassDeclarationSyntax Class(string name) =>
            Sources().SelectMany(s => s.Root.DescendantNodes().OfType<ClassDeclarationSyntax>()).Single(c => c.Identifier.ValueText == name);

        private sealed record SyntaxTreeRoot(string File, CompilationUnitSyntax Root);
    }
}
