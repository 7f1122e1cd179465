using System.Text.Json;
using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Tests.Fakes;
using static Irrigation.Core.Tests.Water.FlowMeteringTests;

namespace Irrigation.Core.Tests.Water;

/// <summary>
/// A run's volume reaches the server exactly once, whatever the link and the power do: the water ledger in flash
/// keeps unacknowledged volumes, and a boot delivers an earlier boot's under that boot's id (the server's resume
/// says which it has). The fake server stores each (boot, seq) once, as the real one does.
/// </summary>
public class VolumeDeliveryTests
{
    private const long Second = 1000;
    private const long Minute = 60_000;

    /// <summary>Schedules at 00:10 (zone1, 120 s) and 00:20 (zone2, 90 s), so runs happen with the link down.</summary>
    private static Rig ScheduledRig(FlashModel flash)
    {
        var rig = MeteredRig(c =>
        {
            c.Schedules = new[] { new ScheduleConfig(0, 10, 120), new ScheduleConfig(1, 20, 90) };
            // A link that stays up without acks is not torn down meanwhile (the acks' loss is the point).
            c.WatchdogSeconds = 3600;
        }, flash: flash);
        rig.Link.KeepFrames = true;
        rig.StartOnline();
        return rig;
    }

    private static long StoredLitres(Rig rig, string zone) =>
        rig.Link.StoredFrames.Where(f => f.GetProperty("event").GetString() == "irrigation_stopped")
            .Select(f => f.GetProperty("data"))
            .Where(d => d.TryGetProperty("litres", out _) && d.GetProperty("zones")[0].GetString() == zone)
            .Sum(d => d.GetProperty("litres").GetInt64());

    /// <summary>Both scheduled runs happen while the server is down (their stops wait in RAM); returns their boot.</summary>
    private static long RunsWhileServerDown(Rig rig)
    {
        long boot = rig.Config.BootId;
        rig.Run(5 * Minute);
        rig.Link.ServerUp = false;
        rig.Link.Drop();
        rig.Run(25 * Minute);
        Assert.Equal(2, rig.Water!.PulsesByZone.Count(p => p > 0));
        return boot;
    }

    private static List<long> HelloBoots(Rig rig) =>
        rig.Link.Sent.Select(f => JsonDocument.Parse(f).RootElement).Where(e => e.GetProperty("event").GetString() == "hello")
            .Select(e => e.GetProperty("data").GetProperty("boot").GetInt64()).ToList();

    [Fact]
    public void Reboot_VolumesNeverAcked_DeliveredUnderTheirOwnBootExactlyOnce()
    {
        var rig = ScheduledRig(new FlashModel());
        long firstBoot = RunsWhileServerDown(rig);

        // RAM is lost: the two stops waited in the offline buffer only.
        rig.Reboot();
        rig.Link.ServerUp = true;
        rig.Run(3 * Minute);

        Assert.Equal(Tenths(rig.Water!.PulsesByZone[0]), StoredLitres(rig, "zone1"));
        Assert.Equal(Tenths(rig.Water.PulsesByZone[1]), StoredLitres(rig, "zone2"));
        Assert.InRange(StoredLitres(rig, "zone1"), 399, 401);
        // The first boot spoke once more, to deliver them, then the new boot connected.
        var boots = HelloBoots(rig);
        Assert.Equal(new[] { firstBoot, firstBoot, rig.Config.BootId }, boots.Skip(boots.Count - 3));
        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
    }

    [Fact]
    public void Reboot_StoredButAckLost_NotSentAgain()
    {
        var rig = ScheduledRig(new FlashModel());
        rig.Run(9 * Minute);

        // The stop reaches the server and is stored; the link drops before its ack comes back, and the board
        // reboots before it could learn that the server has it.
        while (!rig.Link.Sent.Any(f => f.Contains("\"litres\"")))
        {
            rig.NowMs += rig.TickMs;
            rig.Step();
        }

        rig.Link.Drop();
        rig.Link.ServerUp = false;
        rig.Reboot();
        rig.Link.ServerUp = true;
        rig.Run(3 * Minute);

        // The earlier boot connected again and the server's resume covered the stop: it was not sent twice.
        Assert.Single(rig.Link.Sent, f => f.Contains("\"litres\"") && f.Contains("zone1"));
        Assert.Equal(2, HelloBoots(rig).Count(b => b != rig.Config.BootId));
        Assert.Equal(Tenths(rig.Water!.PulsesByZone[0]), StoredLitres(rig, "zone1"));
    }

    [Fact]
    public void Reboot_AgainDuringTheDelivery_StillExactlyOnce()
    {
        var rig = ScheduledRig(new FlashModel());
        RunsWhileServerDown(rig);

        // The delivery is stored but its ack never arrives; the board reboots again before it learns it.
        rig.Reboot();
        rig.Link.AutoAck = false;
        rig.Link.ServerUp = true;
        rig.Run(10 * Second);
        rig.Reboot();
        rig.Link.AutoAck = true;
        rig.Run(3 * Minute);

        Assert.Equal(Tenths(rig.Water!.PulsesByZone[0]), StoredLitres(rig, "zone1"));
        Assert.Equal(Tenths(rig.Water.PulsesByZone[1]), StoredLitres(rig, "zone2"));
        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
    }

    [Fact]
    public void Reboot_ServerRefusesTheEarlierBoot_CurrentBootConnectsAfterFiveTriesAndTheVolumesWait()
    {
        var rig = ScheduledRig(new FlashModel());
        long firstBoot = RunsWhileServerDown(rig);

        rig.Reboot();
        rig.Link.RefuseBoot = firstBoot;
        rig.Link.ServerUp = true;
        rig.Run(10 * Minute);

        // The board's own events are not held hostage: after five broken deliveries it connects as itself.
        Assert.Equal(5, HelloBoots(rig).Count(b => b == firstBoot) - 1);
        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
        Assert.Contains(rig.Log.Lines, l => l.Contains("earlier boot's water volumes not delivered, kept for the next boot"));
        Assert.Equal(0, StoredLitres(rig, "zone1"));

        // The next boot tries again, and the server takes them now.
        rig.Link.RefuseBoot = null;
        rig.Reboot();
        rig.Run(3 * Minute);
        Assert.Equal(Tenths(rig.Water!.PulsesByZone[0]), StoredLitres(rig, "zone1"));
        Assert.Equal(Tenths(rig.Water.PulsesByZone[1]), StoredLitres(rig, "zone2"));
    }

    [Fact]
    public void PowerCut_MidRun_TheRunIsReportedOnceLosingOnlyWhatFollowedTheLastCheckpoint()
    {
        var rig = MeteredRig(flash: new FlashModel());
        rig.Link.KeepFrames = true;
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", "zone1", 600, null));
        rig.Run(95 * Second);
        long known = rig.Controller.ZoneRunPulses(0);
        long saved = rig.Controller.ZoneSavedRunPulses(0);

        rig.Reboot();
        rig.Run(Minute);

        // Saved every 30 s: what came after the last save is lost with the RAM, and only that.
        Assert.Equal(rig.Water!.PulsesByZone[0], known);
        Assert.InRange(known - saved, 0, 30 * 20 * 450 / 60);
        Assert.True(saved > 0);
        var cut = rig.Link.StoredFrames.Where(f => f.GetProperty("event").GetString() == "irrigation_stopped").Select(f => f.GetProperty("data"))
            .Single(d => d.TryGetProperty("litres", out _));
        Assert.Equal("boot", cut.GetProperty("reason").GetString());
        Assert.Equal(Tenths(saved), cut.GetProperty("litres").GetInt64());

        // Another reboot does not report it again.
        rig.Reboot();
        rig.Run(Minute);
        Assert.Equal(Tenths(saved), StoredLitres(rig, "zone1"));
    }

    [Fact]
    public void PowerCut_DuringTheLedgerWrite_PreviousLedgerIntactAndTheRunStillCounted()
    {
        var flash = new FlashModel();
        var rig = MeteredRig(flash: flash);
        rig.Link.KeepFrames = true;
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", "zone1", 45, null));
        rig.Run(40 * Second);
        long saved = rig.Controller.ZoneSavedRunPulses(0);

        // The stop's ledger write is torn half-way and the board dies there (offline, so nothing left it before).
        rig.Link.ServerUp = false;
        rig.Link.Drop();
        flash.CutBeforeStep = 2;
        while (flash.CutBeforeStep != -1)
        {
            rig.NowMs += rig.TickMs;
            rig.Step();
        }

        Assert.False(rig.Valves[0].IsOpen);
        rig.Reboot();
        rig.Link.ServerUp = true;
        rig.Run(Minute);

        // The other slot still has the run's last checkpoint: the run is reported once, as cut short.
        Assert.True(saved > 0);
        Assert.Equal(Tenths(saved), StoredLitres(rig, "zone1"));
    }

    [Fact]
    public void Settings_RenameAZone_ItsBaselineFollowsTheName()
    {
        var rig = MeteredRig(flash: new FlashModel());
        rig.StartOnline();
        Learn(rig);
        int learned = rig.Controller.FlowBaseline(0);

        rig.Link.Settings(1, "{\"zones\":[{\"name\":\"lawn\"},{\"name\":\"zone1\"}],\"pulses_per_litre\":450}");
        rig.Run(Second);

        Assert.Equal(-1, rig.Controller.FlowBaseline(0));
        Assert.Equal(learned, rig.Controller.FlowBaseline(1));
        rig.Reboot();
        rig.Run(Second);
        Assert.Equal(learned, rig.Controller.FlowBaseline(1));
    }
}
