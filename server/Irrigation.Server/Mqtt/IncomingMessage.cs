namespace Irrigation.Server.Mqtt;

/// <summary>A message the broker delivered to the bridge.</summary>
public sealed record IncomingMessage(string Topic, byte[] Payload, bool Retain);
