using System.Text.Json;
using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Sensors;
using Irrigation.Core.Settings;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Simulation;

/// <summary>
/// A week of one controller against a flaky world: link outages and drops, a silent server, sensor dropouts,
/// garbage reads, random commands, settings from the server (good and bad, rain delays, time zone offsets) kept
/// in flash, and three reboots. Checks the safety and accounting invariants on every tick.
/// </summary>
public class SimulatedWeekTests
{
    private const long TickMs = 500;
    private const long Week = 7L * 24 * 3600 * 1000;
    private const long ServerEpoch = 1764547200;

    private sealed class SoilModel : ISoilProbe
    {
        public int MoistureDeci = 400;
        public bool Unplugged;
        public bool Flaky;
        public Random Rng = new(1);
        public int MaxRaw => 4095;

        public int ReadRaw()
        {
            if (Unplugged)
            {
                return 0;
            }

            if (Flaky && Rng.Next(3) == 0)
            {
                return -1;
            }

            return 3400 - MoistureDeci * 2 + Rng.Next(-15, 16);
        }
    }

    private sealed class Boot
    {
        public long Id;
        public long StartMs;
        public int LastSeq;
        public long Dropped;
        public int LostInRam;
    }

    [Fact]
    public void Week_FlapsDropoutsReboots_SafetyAndAccountingHold()
    {
        var rng = new Random(2026);
        long simMs = 0;
        var config = new ControllerConfig
        {
            DeviceId = "farm-01",
            Token = "tok-secret",
            ServerUrl = "ws://127.0.0.1:5000/",
            Zones = new[]
            {
                new ZoneConfig("beds") { SoilProbe = 0, DryDeciPercent = 300, WetDeciPercent = 450, RunSeconds = 600, MinIntervalSeconds = 3600, MaxDurationSeconds = 1800 },
                new ZoneConfig("lawn") { MaxDurationSeconds = 1200 },
            },
            SoilProbes = new[] { new SoilCalibration(3400, 1400) },
            Schedules = new[] { new ScheduleConfig(1, 5 * 60, 900), new ScheduleConfig(0, 18 * 60, 300) },
            BufferCapacity = 128,
        };
        var climate = new FakeClimate();
        var soil = new SoilModel();
        var valves = new[] { new FakeValve { Clock = () => simMs }, new FakeValve { Clock = () => simMs } };
        var link = new FakeLink { ServerUnix = () => ServerEpoch + simMs / 1000, KeepSent = 64 };
        var sink = new ListLogSink { Keep = 200 };
        var device = new FakeDeviceInfo();
        var flash = new FlashModel();
        int settingsVersion = 0;
        int settingsFrames = 0;
        var boots = new List<Boot>();
        long bootAt = 0;
        long timeViolations = 0;
        string? badTime = null;
        link.OnEvent = e =>
        {
            long t = e.GetProperty("data").GetProperty("time").GetInt64();
            long bootUnix = ServerEpoch + boots[^1].StartMs / 1000;
            long nowUnix = ServerEpoch + simMs / 1000;
            if (t < bootUnix - 2 || t > nowUnix + 2)
            {
                timeViolations++;
                badTime ??= e.GetRawText() + " boot at " + bootUnix + " now " + nowUnix;
            }
        };

        Controller NewBoot()
        {
            config.BootId = rng.NextInt64(1, long.MaxValue);
            bootAt = simMs;
            boots.Add(new Boot { Id = config.BootId, StartMs = simMs });
            var c = new Controller(config, climate, new ISoilProbe[] { soil }, valves, link, sink, device, rng.Next(), new SettingsStore(flash, "I:\\a.json", "I:\\b.json"));
            c.Start(0);
            Assert.All(valves, v => Assert.False(v.IsOpen));
            return c;
        }

        var controller = NewBoot();
        long[] rebootAt = { (long)(1.5 * 86400_000), (long)(3.2 * 86400_000), (long)(5.1 * 86400_000) + 777 };
        int nextReboot = 0;
        var network = new FlakyNetwork(link);
        long unpluggedUntil = -1;
        long dhtDeadUntil = -1;
        long endOfChaos = Week - 6 * 3600_000L;
        int commandCounter = 0;
        long commandAt = -1;
        var leaseEnds = new long[valves.Length];
        long maxBuffered = 0;
        long leaseChecks = 0;
        long dhtReads = 0;

        for (simMs = TickMs; simMs <= Week; simMs += TickMs)
        {
            bool chaos = simMs < endOfChaos;
            long uptime = simMs - bootAt;

            // ---- the world
            if (chaos && simMs % 60_000 == 0)
            {
                int roll = rng.Next(1000);
                if (network.Roll(roll, simMs, rng))
                {
                    // An outage, a drop or a silent server.
                }
                else if (roll < 26 && unpluggedUntil < simMs)
                {
                    unpluggedUntil = simMs + rng.Next(60, 3600) * 1000L;
                    soil.Unplugged = true;
                }
                else if (roll < 28 && dhtDeadUntil < simMs)
                {
                    dhtDeadUntil = simMs + rng.Next(60, 7200) * 1000L;
                }
                else if (roll < 33 && link.State == LinkState.Open)
                {
                    commandCounter++;
                    string zone = rng.Next(2) == 0 ? "beds" : "lawn";
                    link.Enqueue(rng.Next(4) == 0
                        ? "{\"event\":\"stop\",\"data\":{\"id\":\"c-" + commandCounter + "\",\"zones\":[]}}"
                        : "{\"event\":\"irrigate\",\"data\":{\"id\":\"c-" + commandCounter + "\",\"zones\":[\"" + zone + "\"],\"duration\":" + rng.Next(30, 2400) + "}}");
                    commandAt = simMs;
                }
                else if (roll < 40 && link.State == LinkState.Open)
                {
                    // The server's settings: a new version, the same again, or one the device must refuse.
                    settingsFrames++;
                    int kind = rng.Next(6);
                    int version = kind == 0 ? Math.Max(settingsVersion, 1) : ++settingsVersion;
                    string settings = kind switch
                    {
                        1 => "{\"zones\":[{\"name\":\"beds\",\"dry\":2000},{\"name\":\"lawn\"}]}",
                        2 => "{\"rain_delay_until\":" + (ServerEpoch + simMs / 1000 + rng.Next(600, 6 * 3600)) + "}",
                        _ => "{\"zones\":[{\"name\":\"beds\",\"soil_probe\":0,\"run\":" + rng.Next(300, 1800) + ",\"max_duration\":" + rng.Next(120, 1800)
                            + ",\"cycle\":" + rng.Next(0, 2) * 120 + ",\"soak\":600,\"min_interval\":1800},{\"name\":\"lawn\",\"max_duration\":" + rng.Next(60, 1800)
                            + "}],\"schedules\":[{\"zone\":\"lawn\",\"at\":\"05:00\",\"duration\":60},{\"zone\":\"beds\",\"at\":\"18:00\",\"duration\":60}],\"seasonal_percent\":" + rng.Next(0, 251)
                            + ",\"freeze_skip_below\":" + (rng.Next(2) == 0 ? "null" : "180") + "}",
                    };
                    link.Settings(version, settings, 3600 * rng.Next(0, 3));
                }
            }

            network.Settle(simMs);

            soil.Unplugged = simMs < unpluggedUntil;
            soil.Flaky = chaos && simMs % 7_200_000 < 600_000;
            climate.Next = simMs < dhtDeadUntil
                ? ClimateSample.Failed
                : rng.Next(100) switch
                {
                    0 => ClimateSample.Failed,
                    1 => new ClimateSample(true, 10, 10),
                    2 => new ClimateSample(true, 250, 1500),
                    _ => new ClimateSample(true, 150 + (int)(simMs / 60_000 % 200), 400 + rng.Next(200)),
                };
            if (simMs % 10_000 == 0)
            {
                soil.MoistureDeci = Math.Clamp(soil.MoistureDeci + (valves[0].IsOpen ? 12 : -1), 0, 1000);
            }

            // ---- reboot: RAM (the buffer) is lost; the relay may still be energised until Start. The settings that
            // ran before are the ones that run after (they were stored before they were applied).
            if (nextReboot < rebootAt.Length && simMs >= rebootAt[nextReboot])
            {
                nextReboot++;
                int runningVersion = controller.SettingsVersion;
                boots[^1].LastSeq = controller.LastSeq;
                boots[^1].Dropped = controller.DroppedCount;
                boots[^1].LostInRam = controller.BufferedCount;
                link.Drop();
                controller = NewBoot();
                Assert.Equal(runningVersion, controller.SettingsVersion);
                uptime = 0;
                continue;
            }

            link.Advance();
            controller.Tick(uptime);

            // ---- invariants, every tick
            for (int z = 0; z < valves.Length; z++)
            {
                Assert.Equal(controller.IsZoneOpen(z), valves[z].IsOpen);
                long leaseEnd = controller.ZoneLeaseEndMs(z);
                if (valves[z].IsOpen)
                {
                    leaseChecks++;
                    Assert.True(uptime < leaseEnd, $"zone {z} open past its lease at {uptime} (lease end {leaseEnd})");
                    Assert.True(leaseEnd - uptime <= controller.Config.Zones[z].MaxDurationSeconds * 1000L, $"zone {z} lease longer than its maximum");
                    Assert.True(simMs - valves[z].OpenedAtMs <= 2 * 1800_000L + TickMs, $"zone {z} open {simMs - valves[z].OpenedAtMs} ms");
                    // Only a command may lengthen an open lease (settings never do).
                    Assert.True(leaseEnds[z] < 0 || leaseEnd <= leaseEnds[z] || commandAt == simMs || valves[z].OpenedAtMs == simMs, $"zone {z} lease extended at {simMs} without a command");
                }

                leaseEnds[z] = leaseEnd;
            }

            Assert.True(controller.OpenZoneCount <= config.MaxOpenZones);
            Assert.InRange(controller.BufferedCount, 0, controller.BufferCapacity);
            Assert.InRange(controller.InFlightCount, 0, config.SendWindow);
            Assert.InRange(link.Incoming.Count, 0, 64);
            maxBuffered = Math.Max(maxBuffered, controller.BufferedCount);
        }

        dhtReads = climate.Reads;
        boots[^1].LastSeq = controller.LastSeq;
        boots[^1].Dropped = controller.DroppedCount;
        boots[^1].LostInRam = controller.BufferedCount;

        // ---- the world really was flaky
        Assert.Equal(4, boots.Count);
        Assert.True(link.Connects > 20, $"only {link.Connects} connects");
        Assert.True(leaseChecks > 1000, "valves were hardly ever open");
        Assert.True(maxBuffered == config.BufferCapacity, "the buffer never filled: no drop policy exercised");
        Assert.True(boots.Sum(b => b.Dropped) > 0);
        Assert.True(dhtReads > 7 * 2880 * 0.9);

        // ---- accounting: every event of every boot is stored by the server, dropped (counted), or was in RAM at a reboot
        Assert.Equal(0, boots[^1].LostInRam);
        Assert.Equal(boots[^1].LastSeq, controller.AckedSeq);
        foreach (var boot in boots)
        {
            var stored = link.Stored.TryGetValue(boot.Id, out var s) ? s : new SortedSet<long>();
            Assert.True(stored.Count == 0 || stored.Max <= boot.LastSeq);
            Assert.True(stored.Count + boot.Dropped + boot.LostInRam >= boot.LastSeq,
                $"boot {boot.Id}: {boot.LastSeq} events, {stored.Count} stored, {boot.Dropped} dropped, {boot.LostInRam} lost at reboot");
            Assert.Contains(1L, stored); // irrigation_stopped "boot" is never dropped
        }

        Assert.True(timeViolations == 0, badTime);
        Assert.True(controller.IsClockTrusted);
        Assert.True(settingsFrames > 30, $"only {settingsFrames} settings frames");
        Assert.True(settingsVersion > 10 && controller.SettingsVersion > 0);
    }
}
