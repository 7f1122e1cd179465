namespace Irrigation.Server.Storage;

/// <summary>A record of an ingest batch that is new and will be stored, with its device's row key.</summary>
/// <param name="Device">The device's row key.</param>
/// <param name="Record">The record.</param>
public readonly record struct StoredRecord(long Device, IngestRecord Record);
