using Irrigation.Server.Auth;

namespace Irrigation.Server.Storage;

/// <summary>A user who shares a device, with the role the owner gave them and when (Unix seconds).</summary>
public sealed record DeviceMember(string UserId, DeviceRole Role, long Added);
