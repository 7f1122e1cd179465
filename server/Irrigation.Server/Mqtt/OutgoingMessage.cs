namespace Irrigation.Server.Mqtt;

/// <summary>A message for the broker; an empty retained payload deletes the topic's retained message.</summary>
public readonly record struct OutgoingMessage(string Topic, string Payload, bool Retain);
