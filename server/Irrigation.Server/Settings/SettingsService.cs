using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Irrigation.Core.Config;
using Irrigation.Core.Protocol;
using Irrigation.Server.Relay;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Settings;

/// <summary>
/// A device's settings: checked with the shared core's own rules (the server and the controller cannot disagree on
/// what is valid), saved in versions with optimistic concurrency, audited, and delivered to the controller — when they
/// are saved and it is online, after a hello that reports another version, and again with the new offset when its
/// time zone changes to or from summer time. The controller answers settings_applied or settings_rejected, which is
/// what <see cref="GetAsync"/> shows.
/// </summary>
public sealed class SettingsService(
    ISettingsStore store,
    IAuditLog audit,
    IRelayBackplane backplane,
    DeviceHubs hubs,
    TimeProvider clock,
    ILogger<SettingsService> log)
{
    /// <summary>The dashboards' frame announcing a saved version (the controller's answer follows as its own event).</summary>
    public const string SavedEvent = "settings_saved";

    /// <summary>The settings key of the rain delay: no automatic watering before this Unix time (0: none).</summary>
    public const string RainDelayKey = "rain_delay_until";

    /// <summary>The device's settings and what its controller made of them.</summary>
    public async Task<SettingsView> GetAsync(string deviceId, CancellationToken ct = default)
    {
        var latest = await store.GetLatestAsync(deviceId, ct);
        var report = await store.GetReportAsync(deviceId, ct) ?? new SettingsReport(0, 0, "[]");
        var version = latest?.Version ?? 0;
        var state = version == 0 || report.RunningVersion == version ? "applied" : report.RejectedVersion == version ? "rejected" : "pending";
        var errors = state == "rejected" ? JsonSerializer.Deserialize<string[]>(report.ErrorsJson) ?? [] : [];
        using var settings = JsonDocument.Parse(latest?.Json ?? "{}");
        return new SettingsView(version, report.RunningVersion, state, errors, settings.RootElement.Clone(), latest?.UpdatedBy, latest?.UpdatedAt,
            DeviceTimeZone.OffsetSeconds(latest?.TimeZone, clock.GetUtcNow()));
    }

    /// <summary>
    /// Saves <paramref name="settings"/> (an object of settings keys) as the version after <paramref name="baseVersion"/>,
    /// for the device whose zones are <paramref name="zones"/>; every wrong field is listed, nothing is saved then.
    /// <paramref name="via"/> names the path for the audit trail ("mqtt").
    /// </summary>
    public async Task<SettingsChange> UpdateAsync(
        string user, string deviceId, string[] zones, int baseVersion, JsonElement settings, string action = "settings",
        string? via = null, CancellationToken ct = default)
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            return new SettingsChange(0, ["settings: must be an object of settings keys (docs/config.md)"]);
        }

        var errors = new List<string>();
        string? timeZone = null;
        if (settings.TryGetProperty(DeviceTimeZone.Key, out var zoneElement))
        {
            if (zoneElement.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{DeviceTimeZone.Key}: must be a string (an IANA name such as Europe/Paris)");
            }
            else if (DeviceTimeZone.Find(zoneElement.GetString()!, out var zoneError) is null)
            {
                errors.Add(zoneError!);
            }
            else
            {
                timeZone = zoneElement.GetString();
            }
        }

        var forDevice = ForController(settings);
        errors.AddRange(ControllerConfigReader.CheckSettings(forDevice, zones).Errors);
        var frameBytes = Encoding.UTF8.GetByteCount(Frame(int.MaxValue, -50400, forDevice));
        if (frameBytes > ServerMessageParser.MaxServerFrameBytes)
        {
            errors.Add($"settings: {frameBytes} bytes in a frame, more than a controller takes ({ServerMessageParser.MaxServerFrameBytes}): use shorter names or fewer schedules");
        }

        if (errors.Count > 0)
        {
            return new SettingsChange(0, errors);
        }

        var previous = await store.GetLatestAsync(deviceId, ct);
        var json = settings.GetRawText();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var changed = Changes(previous?.Json, settings);
        if (!await store.SaveAsync(deviceId, baseVersion, new StoredSettings(0, Compact(json), changed, user, now, timeZone), ct))
        {
            return new SettingsChange(previous?.Version ?? 0, [], Conflict: true);
        }

        var version = baseVersion + 1;
        await audit.RecordAsync(new AuditEntry(now, deviceId, user, action, $"version {version}: {changed}{(via is null ? "" : $" (via {via})")}", "saved"), ct);
        log.LogInformation("Settings of {Device}: version {Version} saved by {User} ({Changed})", deviceId, version, user, changed);
        await AnnounceAsync(deviceId, version, user, now);
        await PushAsync(deviceId, ct);
        return new SettingsChange(version, []);
    }

    /// <summary>
    /// No automatic watering until <paramref name="until"/> (Unix seconds; 0 clears): a settings change, so a board
    /// that is offline gets it when it returns. The caller checked the user's role.
    /// </summary>
    public Task<SettingsChange> SetRainDelayAsync(string user, string deviceId, string[] zones, long until, CancellationToken ct = default) =>
        SetRainDelayAsync(user, deviceId, zones, until, null, ct);

    /// <summary>As <see cref="SetRainDelayAsync(string, string, string[], long, CancellationToken)"/>, with the path for the audit trail ("mqtt").</summary>
    public async Task<SettingsChange> SetRainDelayAsync(string user, string deviceId, string[] zones, long until, string? via, CancellationToken ct = default)
    {
        // Two tries: a save that raced another one is repeated over the newer version.
        for (var attempt = 0; ; attempt++)
        {
            var latest = await store.GetLatestAsync(deviceId, ct);
            var settings = JsonNode.Parse(latest?.Json ?? "{}")!.AsObject();
            settings[RainDelayKey] = until;
            using var document = JsonDocument.Parse(settings.ToJsonString());
            var change = await UpdateAsync(user, deviceId, zones, latest?.Version ?? 0, document.RootElement, "rain-delay", via, ct);
            if (!change.Conflict || attempt == 1)
            {
                return change;
            }
        }
    }

    /// <summary>The rain delay of the newest saved settings: its end (Unix seconds), 0 when there is none.</summary>
    public async Task<long> RainDelayUntilAsync(string deviceId, CancellationToken ct = default)
    {
        if (await store.GetLatestAsync(deviceId, ct) is not { } latest)
        {
            return 0;
        }

        using var document = JsonDocument.Parse(latest.Json);
        return document.RootElement.TryGetProperty(RainDelayKey, out var until) && until.TryGetInt64(out var value) ? value : 0;
    }

    /// <summary>The versions, newest first.</summary>
    public Task<IReadOnlyList<StoredSettings>> HistoryAsync(string deviceId, int limit, CancellationToken ct = default) =>
        store.HistoryAsync(deviceId, limit, ct);

    /// <summary>
    /// What a connecting controller gets: the offset for its welcome, and the newest settings when it runs another
    /// version (null when it runs the newest, or none were ever saved).
    /// </summary>
    public async Task<(int UtcOffset, byte[]? Settings)> ForHelloAsync(string deviceId, int runningVersion, CancellationToken ct = default)
    {
        await store.ReportRunningAsync(deviceId, runningVersion, clock.GetUtcNow().ToUnixTimeSeconds(), ct);
        var latest = await store.GetLatestAsync(deviceId, ct);
        var offset = DeviceTimeZone.OffsetSeconds(latest?.TimeZone, clock.GetUtcNow());
        return (offset, latest is not null && latest.Version != runningVersion ? Frame(latest, offset) : null);
    }

    /// <summary>Sends the newest settings (with the offset that holds now) to the controller, wherever it is connected.</summary>
    public async Task<Delivery> PushAsync(string deviceId, CancellationToken ct = default)
    {
        if (await store.GetLatestAsync(deviceId, ct) is not { } latest)
        {
            return Delivery.Sent;
        }

        var delivery = await backplane.SendToControllerAsync(deviceId, Frame(latest, DeviceTimeZone.OffsetSeconds(latest.TimeZone, clock.GetUtcNow())), ct);
        log.LogInformation("Settings of {Device}: version {Version} {Delivery}", deviceId, latest.Version,
            delivery == Delivery.Sent ? "sent" : "waits: the controller is " + delivery.ToString().ToLowerInvariant());
        return delivery;
    }

    /// <summary>Records the controller's answer (settings_applied / settings_rejected), in the background of its receive loop.</summary>
    public async Task OnAnswerAsync(string deviceId, string eventName, JsonElement data)
    {
        try
        {
            var version = data.GetProperty("version").GetInt32();
            var time = clock.GetUtcNow().ToUnixTimeSeconds();
            if (eventName == EventNames.SettingsApplied)
            {
                await store.ReportRunningAsync(deviceId, version, time);
            }
            else
            {
                await store.ReportRejectedAsync(deviceId, version, data.GetProperty("errors").GetRawText(), time);
                log.LogWarning("Settings of {Device}: version {Version} rejected by the controller: {Errors}", deviceId, version, data.GetProperty("errors").GetRawText());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogWarning(e, "Recording {Device}'s {Event} failed", deviceId, eventName);
        }
    }

    // {"event":"settings","data":{"version":V,"utc_offset":O,"settings":{…}}}, without the server's own keys.
    private static byte[] Frame(StoredSettings settings, int offset)
    {
        using var document = JsonDocument.Parse(settings.Json);
        return Encoding.UTF8.GetBytes(Frame(settings.Version, offset, ForController(document.RootElement)));
    }

    private static string Frame(int version, int offset, string settings) =>
        "{\"event\":\"" + EventNames.Settings + "\",\"data\":{\"version\":" + version + ",\"utc_offset\":" + offset + ",\"settings\":" + settings + "}}";

    // The settings as the controller reads them: every key but the time zone, which only the server needs.
    private static string ForController(JsonElement settings)
    {
        var node = JsonNode.Parse(settings.GetRawText())!.AsObject();
        node.Remove(DeviceTimeZone.Key);
        return node.ToJsonString();
    }

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    // "first settings", or the top-level keys whose value differs from the version before.
    private static string Changes(string? previousJson, JsonElement settings)
    {
        if (previousJson is null)
        {
            return "first settings";
        }

        using var previous = JsonDocument.Parse(previousJson);
        var before = previous.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        var after = settings.EnumerateObject().ToDictionary(p => p.Name, p => JsonNode.Parse(p.Value.GetRawText())!.ToJsonString());
        var keys = before.Keys.Union(after.Keys).Where(k =>
            !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || JsonNode.Parse(b)!.ToJsonString() != a).Order().ToList();
        return keys.Count == 0 ? "no change" : string.Join(", ", keys);
    }

    // Every dashboard of the device hears of a new version (dashboard frame, the device's state is unchanged).
    private async Task AnnounceAsync(string deviceId, int version, string user, long now)
    {
        var frame = ServerFrames.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("event", SavedEvent);
            w.WriteString("device", deviceId);
            w.WriteStartObject("data");
            w.WriteNumber("time", now);
            w.WriteNumber("version", version);
            w.WriteString("user", user);
        });
        if (await hubs.WhenLoadedAsync(deviceId) is { } hub)
        {
            // Published as an event (the device's state ignores it): the MQTT bridge follows the rain delay from it.
            hub.Publish(new DeviceUpdate(SavedEvent, now, now), frame, droppable: false);
        }

        backplane.Publish(deviceId, frame);
    }
}
