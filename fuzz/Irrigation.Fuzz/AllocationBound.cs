namespace Irrigation.Fuzz;

/// <summary>
/// The most a parser may allocate for one input: <see cref="FixedBytes"/> plus <see cref="BytesPerUnit"/> per unit
/// of input (a character for the core's parsers, which read strings; a byte for the server's). Every parser here
/// is meant to be linear in its input: a bound of this shape catches quadratic copying, a buffer that grows without
/// limit, or objects and messages collected per element of a damaged input. Each bound is about twice the worst
/// measured (fuzz corpora, property-test inputs and hand-made many-element documents of up to 16 K; docs/fuzzing.md),
/// on a second run of the same input so that one-time costs (type loading, first calls, pool warm-up) do not count.
/// </summary>
public readonly record struct AllocationBound(string Parser, long FixedBytes, long BytesPerUnit)
{
    /// <summary>
    /// The core's JSON reader over a whole document: one string per name and string value, and the escape scratch
    /// buffer, which doubles up to the longest escaped string. Worst measured: 6.2 B/char (["a","a",...]).
    /// </summary>
    public static readonly AllocationBound JsonReader = new("JsonReader", 1024, 16);

    /// <summary>ServerMessageParser.Parse: the reader's strings, the zones array, a reject reason. Worst: 6.2 B/char.</summary>
    public static readonly AllocationBound ServerMessageParser = new("ServerMessageParser", 1024, 16);

    /// <summary>
    /// ControllerConfigReader.Read: the config, its lists (at most one entry over each maximum), the key paths, and at
    /// most <c>MaxMessages</c> errors and warnings. Worst: 14.2 B/char (thousands of unknown keys in a zone).
    /// </summary>
    public static readonly AllocationBound ControllerConfigReader = new("ControllerConfigReader", 4 * 1024, 32);

    /// <summary>
    /// FrameValidator.Validate: the document's metadata is pooled, so what remains is the check, its message and, for
    /// JSON that does not parse, System.Text.Json's exception, whose message quotes a bad literal whole. Worst: 4,272 B
    /// for a short frame, 12.3 B/byte for a long bad literal (found by the property test).
    /// </summary>
    public static readonly AllocationBound FrameValidator = new("FrameValidator", 8 * 1024, 32);

    /// <summary>FrameValidator.ParseHello: the hello, a string per zone and sensor, or the same exception. Worst: 12.3 B/byte.</summary>
    public static readonly AllocationBound ParseHello = new("ParseHello", 8 * 1024, 32);

    /// <summary>The bound for an input of <paramref name="length"/> units.</summary>
    public long For(int length) => FixedBytes + BytesPerUnit * length;

    /// <summary>Fails when <paramref name="allocated"/> bytes exceed the bound for <paramref name="length"/>.</summary>
    public void Check(long allocated, int length) =>
        FuzzFailure.Unless(allocated <= For(length), $"{Parser} allocated {allocated} bytes for an input of {length}; the bound is {For(length)}");
}
