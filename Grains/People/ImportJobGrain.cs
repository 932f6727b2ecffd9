using EpiGrid.People;

namespace EpiGrid.Grains.People;

/// <summary>
/// The progress record of one asynchronous arrivals import. In memory only, by choice: the truth of an import is the
/// events of the rows it committed, and an interrupted upload sent again imports only what is missing (idempotency), so
/// nothing is lost with the record. While the import runs, a lost record is rebuilt by the web host's next report (each
/// carries the whole status); once it is over, the record is kept for <see cref="Kept"/> and then forgotten (404), and a
/// silo restart forgets it sooner. The lease runs on the system clock (infrastructure time, like Orleans' own
/// heartbeats), not the domain clock that tests move by days.
/// </summary>
public sealed class ImportJobGrain(TimeProvider clock) : Grain, IImportJobGrain
{
    /// <summary>How long a finished or failed job stays readable: enough for a client polling every few seconds, or one that was away a while.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(1);

    ImportJob? job;
    long seq = -1;
    DateTimeOffset leaseEnds;

    public Task<bool> Report(ImportJobReport report)
    {
        if (job is not null && Close()) return Task.FromResult(false);
        if (report.Seq >= seq) (job, seq) = (new ImportJob(report.Owner, report.Status), report.Seq);
        leaseEnds = clock.GetUtcNow() + report.Lease;
        if (job!.Status.State != ImportJobStates.Running) DelayDeactivation(Kept);
        return Task.FromResult(true);
    }

    public Task<ImportJob?> Get()
    {
        if (job is not null) Close();
        return Task.FromResult(job);
    }

    /// <summary>Whether the job is over; a running one whose lease has lapsed is failed here.</summary>
    bool Close()
    {
        if (job!.Status.State != ImportJobStates.Running) return true;
        if (clock.GetUtcNow() <= leaseEnds) return false;
        job = job with
        {
            Status = job.Status with
            {
                State = ImportJobStates.Failed,
                Failure = "The upload was interrupted: the web host running it stopped reporting (it stopped or lost the cluster). "
                          + "Send the file again: the rows already imported are recognised as duplicates, and only what is missing is imported.",
            },
        };
        DelayDeactivation(Kept);
        return true;
    }
}
