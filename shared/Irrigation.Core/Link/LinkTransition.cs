namespace Irrigation.Core.Link
{
    /// <summary>What one <see cref="LinkSupervisor.Tick"/> did.</summary>
    public enum LinkTransition
    {
        /// <summary>Nothing the owner must react to.</summary>
        None,
        /// <summary>The transport just opened: send hello now.</summary>
        Opened,
        /// <summary>The connection was lost or torn down: everything in flight must be sent again later.</summary>
        Closed,
    }
}
