namespace Irrigation.Server.Relay;

/// <summary>Result of a command request: the generated id when sent, otherwise a message.</summary>
public sealed record CommandOutcome(CommandStatus Status, string? Id = null, string? Message = null);
