namespace Irrigation.Server.Options;

/// <summary>
/// Limits and timings of the relay (configuration section <c>Relay</c>). Every value has a code default, so an
/// empty configuration runs the contract's defaults; appsettings.json shows the same values.
/// </summary>
public sealed class RelayOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Relay";

    /// <summary>Largest accepted text frame in bytes (contract default 8 KiB).</summary>
    public int MaxFrameBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// Sustained events per second a device may send. Above it the server reads the controller's next frame later
    /// (TCP slows the controller down); nothing is refused. A controller sends about one event a minute; this bounds a
    /// runaway one, and a replay of its offline buffer after a long outage still takes seconds.
    /// </summary>
    public double MaxEventsPerSecond { get; set; } = 200;

    /// <summary>Events a device may send in one burst before the sustained rate applies (an offline buffer's replay).</summary>
    public int RateBurst { get; set; } = 1000;

    /// <summary>
    /// How long a controller may keep sending above its rate without a break before it is closed (1008, after an
    /// error rate_limited). Everything it sent until then is stored and acknowledged.
    /// </summary>
    public TimeSpan MaxThrottledTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time a controller has after the upgrade to send hello.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// WebSocket ping interval. A peer that does not answer a ping within the same interval is dropped, so a
    /// silent (half-open) controller is offline after at most 2 x this value.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The same for dashboards, set apart so that a short controller interval (quick offline detection) does not
    /// drop browsers on slow mobile links, whose pong may take longer than a controller's.
    /// </summary>
    public TimeSpan DashboardKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rejected frames in a row after which a controller is closed (1008, or 1009 after too_large).</summary>
    public int MaxRejectedFrames { get; set; } = 10;

    /// <summary>Frames waiting to be sent to one controller (acks coalesce; commands and errors queue).</summary>
    public int ControllerQueueLength { get; set; } = 64;

    /// <summary>Frames waiting to be sent to one dashboard; when full, the oldest telemetry is dropped.</summary>
    public int DashboardQueueLength { get; set; } = 1024;

    /// <summary>
    /// A dashboard whose queue stays full, or whose socket send does not complete, for this long is disconnected.
    /// </summary>
    public TimeSpan StuckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest irrigate duration in seconds for a device that has no maximum of its own.</summary>
    public int DefaultMaxDurationSeconds { get; set; } = 1800;

    /// <summary>
    /// Number of simulated controllers to start (<c>--simulate N</c>); 0 = none. Needs a registered
    /// <see cref="Relay.ISimulationHost"/>.
    /// </summary>
    public int SimulateCount { get; set; }
}
