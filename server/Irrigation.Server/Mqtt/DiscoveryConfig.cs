namespace Irrigation.Server.Mqtt;

/// <summary>One Home Assistant discovery message: its topic and its JSON payload (published retained).</summary>
public readonly record struct DiscoveryConfig(string Topic, string Payload);
