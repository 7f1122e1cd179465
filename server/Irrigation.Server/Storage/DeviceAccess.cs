using Irrigation.Server.Auth;

namespace Irrigation.Server.Storage;

/// <summary>A device as one user may see it: the device and that user's role on it.</summary>
public sealed record DeviceAccess(DeviceRecord Device, DeviceRole Role);
