namespace Irrigation.Fuzz;

/// <summary>
/// A parser broke one of the rules its fuzz target checks. Thrown out of the target, so afl-fuzz records the input
/// as a crash, exactly like an exception that escaped the parser itself.
/// </summary>
public sealed class FuzzFailure : Exception
{
    /// <summary>Says which rule broke.</summary>
    public FuzzFailure(string rule)
        : base(rule)
    {
    }

    /// <summary>Throws when <paramref name="holds"/> is false.</summary>
    public static void Unless(bool holds, string rule)
    {
        if (!holds)
        {
            throw new FuzzFailure(rule);
        }
    }
}
