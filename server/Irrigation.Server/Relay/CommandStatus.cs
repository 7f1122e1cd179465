namespace Irrigation.Server.Relay;

/// <summary>Outcome kinds of a command request (mapped to HTTP 202/404/400/409/503).</summary>
public enum CommandStatus
{
    /// <summary>Queued to the controller.</summary>
    Sent,

    /// <summary>No such device for this user.</summary>
    NotFound,

    /// <summary>The user sees the device but their role may not command it (a viewer).</summary>
    Forbidden,

    /// <summary>Unknown zone or duration out of range.</summary>
    BadRequest,

    /// <summary>The device is not connected.</summary>
    Offline,

    /// <summary>The controller's send queue is full.</summary>
    Busy,
}
