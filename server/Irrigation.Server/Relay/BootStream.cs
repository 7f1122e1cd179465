namespace Irrigation.Server.Relay;

/// <summary>
/// The highest seq accepted on the live path for one controller boot: stored, or in flight to the store. Shared by
/// every connection of that boot on this instance, so a controller that reconnects while its last events are still
/// in flight does not get them fanned out twice when it sends them again.
/// </summary>
public sealed class BootStream(long boot)
{
    private readonly Lock _lock = new();
    private long _accepted;

    /// <summary>The boot id.</summary>
    public long Boot { get; } = boot;

    /// <summary>Raises the mark to what the store already holds (welcome.resume).</summary>
    public void AtLeast(long stored)
    {
        lock (_lock)
        {
            _accepted = Math.Max(_accepted, stored);
        }
    }

    /// <summary>True when <paramref name="seq"/> is new (and records it); false for a repeat.</summary>
    public bool TryAccept(long seq)
    {
        lock (_lock)
        {
            if (seq <= _accepted)
            {
                return false;
            }

            _accepted = seq;
            return true;
        }
    }
}
