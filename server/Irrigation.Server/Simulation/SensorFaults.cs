namespace Irrigation.Server.Simulation;

/// <summary>Decides when a simulated sensor fails: a dropout is a run of failed reads, like a loose connector.</summary>
public sealed class SensorFaults(Random random, double dropoutChance)
{
    private int _failedReadsLeft;

    public bool NextReadFails()
    {
        if (_failedReadsLeft > 0)
        {
            _failedReadsLeft--;
            return true;
        }

        if (dropoutChance > 0 && random.NextDouble() < dropoutChance)
        {
            _failedReadsLeft = random.Next(3, 12);
            return true;
        }

        return false;
    }

    /// <summary>Forces a dropout of <paramref name="reads"/> failed reads (tests, demos).</summary>
    public void Fail(int reads) => _failedReadsLeft = reads;
}
