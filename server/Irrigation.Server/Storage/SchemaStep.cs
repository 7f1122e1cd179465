namespace Irrigation.Server.Storage;

/// <summary>One version of the schema: the same tables and indexes, written once for each engine's DDL.</summary>
/// <param name="Version">The schema version this step brings the database to.</param>
/// <param name="Description">What the step changes, for the upgrade's progress line.</param>
/// <param name="Sqlite">The step for SQLite.</param>
/// <param name="Postgres">The step for PostgreSQL.</param>
public sealed record SchemaStep(int Version, string Description, string Sqlite, string Postgres);
