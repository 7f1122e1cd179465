namespace Irrigation.Server.Relay;

/// <summary>What became of a frame sent to a controller.</summary>
public enum Delivery
{
    /// <summary>Queued on the controller's connection.</summary>
    Sent,

    /// <summary>The controller is connected to no instance.</summary>
    Offline,

    /// <summary>The controller does not read its connection (its queue is full), or its instance did not answer.</summary>
    Busy,
}
