// COMPILE-ONLY FACADE - NEVER DEPLOYED: the enums of the package named below, every member of each enum in the
// real order with the real value (apidiff's listings carry no implicit values and no order, so each enum here was
// checked by hand against the real source file named above it). The host tests compile this file too
// (tests/Irrigation.Firmware.Tests), so the models use exactly these enums.
// Package: nanoFramework.System.Net.WebSockets.Client 1.1.167
namespace System.Net.WebSockets.WebSocketFrame
{
    // nanoframework/System.Net.WebSockets@v1.1.167 WebSockets/WebSocketFrame/WebSocketState.cs
    public enum WebSocketState
    {
        None = 0,
        Connecting = 1,
        Open = 2,
        CloseSent = 3,
        CloseReceived = 4,
        Closed = 5,
        Aborted = 6,
    }

    // nanoframework/System.Net.WebSockets@v1.1.167 WebSockets/WebSocketFrame/WebSocketMessageType.cs
    public enum WebSocketMessageType
    {
        Text = 0,
        Binary = 1,
    }

    // nanoframework/System.Net.WebSockets@v1.1.167 WebSockets/WebSocketFrame/WebSocketCloseStatus.cs (this order:
    // ClosedAbnormally first)
    public enum WebSocketCloseStatus
    {
        ClosedAbnormally = 1006,
        NormalClosure = 1000,
        EndpointUnavailable = 1001,
        ProtocolError = 1002,
        InvalidMessageType = 1003,
        Reserved = 1004,
        Empty = 1005,
        InvalidPayloadData = 1007,
        PolicyViolation = 1008,
        MessageTooBig = 1009,
        MandatoryExtension = 1010,
        InternalServerError = 1011,
    }
}
