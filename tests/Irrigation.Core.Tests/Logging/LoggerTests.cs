using Irrigation.Core.Logging;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Logging;

public class LoggerTests
{
    private sealed class Mirror : ILogMirror
    {
        public readonly List<(LogLevel Level, string Message)> Lines = new();
        public void OnMirroredLine(LogLevel level, string message) => Lines.Add((level, message));
    }

    [Fact]
    public void Warn_TwoPairs_WritesTheTechnicianFormat()
    {
        var sink = new ListLogSink();
        var log = new Logger(sink);
        log.SetUptime(12345);

        log.Warn("sensor", "dht read failed", "pin", 26, "misses", 3);

        Assert.Equal("[00012.345] W sensor: dht read failed pin=26 misses=3", Assert.Single(sink.Lines));
    }

    [Theory]
    [InlineData(0, "00000.000")]
    [InlineData(7, "00000.007")]
    [InlineData(99999999, "99999.999")]
    [InlineData(100000000, "100000.000")]
    [InlineData(604800000, "604800.000")]
    public void FormatUptime_Values_ZeroPaddedSecondsAndMillis(long ms, string expected)
    {
        Assert.Equal(expected, Logger.FormatUptime(ms));
    }

    [Fact]
    public void Levels_EachLetter_AndMinLevelFilters()
    {
        var sink = new ListLogSink();
        var log = new Logger(sink) { MinLevel = LogLevel.Debug };
        log.SetUptime(1000);
        log.Debug("core", "d");
        log.Info("core", "i");
        log.Warn("core", "w");
        log.Error("core", "e");
        log.MinLevel = LogLevel.Warning;
        log.Info("core", "hidden");

        Assert.Equal(new[] { "[00001.000] D core: d", "[00001.000] I core: i", "[00001.000] W core: w", "[00001.000] E core: e" }, sink.Lines);
    }

    [Fact]
    public void Mirror_WarningsAndErrorsOnly_WithoutPrefix()
    {
        var mirror = new Mirror();
        var log = new Logger(new ListLogSink()) { Mirror = mirror };
        log.Info("link", "ready");
        log.Warn("sensor", "dht read failed", "pin", 26, "misses", 3);
        log.Error("core", "boom");

        Assert.Equal(new[] { (LogLevel.Warning, "sensor: dht read failed pin=26 misses=3"), (LogLevel.Error, "core: boom") }, mirror.Lines);
    }

    [Fact]
    public void Write_StringPairAndControlChars_OneLine()
    {
        var sink = new ListLogSink();
        var log = new Logger(sink);
        log.Write(LogLevel.Info, "sensor", "re\nconnected", "sensor", "soil_moisture");

        Assert.Equal("[00000.000] I sensor: re connected sensor=soil_moisture", Assert.Single(sink.Lines));
    }

    [Fact]
    public void Write_TooLong_CutWithTilde()
    {
        var sink = new ListLogSink();
        new Logger(sink).Info("core", new string('x', 500));

        string line = Assert.Single(sink.Lines);
        Assert.Equal(Logger.MaxLineChars, line.Length);
        Assert.EndsWith("~", line);
    }

    [Fact]
    public void Warn_NegativeValue_WrittenWithSign()
    {
        var sink = new ListLogSink();
        new Logger(sink).Warn("link", "rssi low", "rssi", -91);

        Assert.Equal("[00000.000] W link: rssi low rssi=-91", Assert.Single(sink.Lines));
    }
}
