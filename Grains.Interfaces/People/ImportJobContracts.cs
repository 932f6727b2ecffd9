namespace EpiGrid.People;

/// <summary>A bad row of an import: its line (the header is line 1), the field at fault ("row" for the row itself) and why.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.import-row-error")]
public sealed record ImportRowError([property: Id(0)] int Line, [property: Id(1)] string Field, [property: Id(2)] string Reason);

/// <summary>The states of an asynchronous import, as <c>GET /api/v1/imports/{id}</c> names them.</summary>
public static class ImportJobStates
{
    public const string Running = "running", Done = "done", Failed = "failed";
}

/// <summary>
/// Where an import stands: data rows read from the file so far (the header is not a row), rows imported, rows already
/// recorded, the first 1,000 row errors by line (as the synchronous answer lists them) and how many there were in all.
/// </summary>
/// <param name="Failure">Why a failed import stopped (null otherwise): the file can be sent again, and only what is missing is imported.</param>
[GenerateSerializer, Immutable, Alias("epigrid.import-job-status")]
public sealed record ImportJobStatus(
    [property: Id(0)] string State, [property: Id(1)] int RowsRead, [property: Id(2)] int Imported, [property: Id(3)] int Duplicates,
    [property: Id(4)] IReadOnlyList<ImportRowError> Errors, [property: Id(5)] int ErrorCount, [property: Id(6)] string? Failure = null)
{
    public static ImportJobStatus Started { get; } = new(ImportJobStates.Running, 0, 0, 0, [], 0);
}

/// <summary>
/// What the web host running an import tells its job grain: the whole status as of its <paramref name="Seq"/>-th report
/// (so a job's record is rebuilt by the next report if the grain's silo is lost while it runs), who started it, and
/// how long to wait for the next report before saying the import was interrupted.
/// </summary>
[GenerateSerializer, Immutable, Alias("epigrid.import-job-report")]
public sealed record ImportJobReport(
    [property: Id(0)] long Seq, [property: Id(1)] string Owner, [property: Id(2)] ImportJobStatus Status, [property: Id(3)] TimeSpan Lease);

/// <summary>A job as the grain holds it: whose it is and where it stands.</summary>
[GenerateSerializer, Immutable, Alias("epigrid.import-job")]
public sealed record ImportJob([property: Id(0)] string Owner, [property: Id(1)] ImportJobStatus Status);
