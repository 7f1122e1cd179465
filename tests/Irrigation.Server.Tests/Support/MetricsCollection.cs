namespace Irrigation.Server.Tests.Support;

/// <summary>
/// Tests that read /metrics run alone, after the parallel ones: the metrics exporter listens to its meter by name, and
/// several servers in one test process would report into one another's scrapes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "metrics";
}
