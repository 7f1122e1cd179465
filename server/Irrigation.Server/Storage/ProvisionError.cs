namespace Irrigation.Server.Storage;

/// <summary>Why a provisioning write was refused (failure is data: the CLI turns it into a message).</summary>
public enum ProvisionError
{
    /// <summary>Written.</summary>
    None,

    /// <summary>A user or device with that id already exists.</summary>
    Duplicate,

    /// <summary>The owner named for a device does not exist.</summary>
    UnknownOwner,

    /// <summary>The user or device to update does not exist.</summary>
    NotFound,

    /// <summary>The user owns devices: they go first (remove them, or give them to another user).</summary>
    OwnsDevices,

    /// <summary>The user named as a member owns the device already.</summary>
    IsOwner,
}
