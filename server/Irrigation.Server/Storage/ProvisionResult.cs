namespace Irrigation.Server.Storage;

/// <summary>Outcome of a provisioning write; for a batch, <see cref="Index"/> is the item that failed.</summary>
public readonly record struct ProvisionResult(ProvisionError Error, int Index = -1)
{
    /// <summary>True when everything was written.</summary>
    public bool Ok => Error == ProvisionError.None;
}
