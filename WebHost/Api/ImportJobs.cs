using System.Collections.Concurrent;
using System.Globalization;
using EpiGrid.People;
using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// Section "Imports": asynchronous imports (<c>Prefer: respond-async</c>). The figures are our choice: each import keeps
/// its spooled file (up to <c>Limits:MaxImportBodyBytes</c>) on the web host's disk and one chunk in flight in the silos,
/// and the bulk path is bounded by the event store, so a few at once per host is all the store can use anyway.
/// </summary>
public sealed record ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Asynchronous imports one web host runs at once; beyond them 429 with Retry-After (synchronous imports are not counted).</summary>
    public int MaxRunning { get; init; } = 4;

    /// <summary>
    /// How long a job's grain waits for its web host's next report before saying the import was interrupted. The host
    /// reports after each chunk and every quarter of this in between, so only a host that died or lost the cluster misses it.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Runs the asynchronous imports of this web host in the background, each from its spooled file, reporting its figures to
/// its <see cref="IImportJobGrain"/> (where any web host reads them). Bounded by <see cref="ImportOptions.MaxRunning"/>;
/// stopping the host stops its imports, each reported failed (send the file again: only what is missing is imported).
/// </summary>
public sealed class ImportJobs(IClusterClient grains, IOptionsMonitor<ImportOptions> options, ILogger<ImportJobs> log) : IHostedService
{
    public const int RetryAfterSeconds = 30;
    readonly CancellationTokenSource stopping = new();
    readonly ConcurrentDictionary<Guid, Task> running = new();
    int reserved;

    public ImportOptions Options => options.CurrentValue;

    /// <summary>A place for one more import, with the cancellation it runs under; null when the host runs its most already.</summary>
    public RunningImport? TryReserve()
    {
        for (var seen = Volatile.Read(ref reserved); seen < Options.MaxRunning; seen = Volatile.Read(ref reserved))
            if (Interlocked.CompareExchange(ref reserved, seen + 1, seen) == seen)
                return new RunningImport(() => Interlocked.Decrement(ref reserved), stopping.Token);
        return null;
    }

    public ProblemDetails Busy(HttpContext http)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Status(StatusCodes.Status429TooManyRequests,
            $"{Options.MaxRunning} asynchronous imports already running on this host, the most allowed at once "
            + $"({ImportOptions.Section}:{nameof(ImportOptions.MaxRunning)}); retry in {RetryAfterSeconds} s, or send the file without Prefer: respond-async.");
    }

    /// <summary>
    /// Records the job as started (so a GET finds it as soon as the client has its id), then runs it in the background;
    /// from here on the job disposes of its import, file and place itself.
    /// </summary>
    public async Task<ImportJobStatus> Start(Guid id, string owner, RunningImport job)
    {
        var reporter = new Reporter(grains.GetGrain<IImportJobGrain>(id), owner, Options.Lease);
        await reporter.Send(ImportJobStatus.Started);
        running[id] = Task.Run(async () =>
        {
            try { await Run(id, job, reporter); }
            finally
            {
                await job.DisposeAsync();
                running.TryRemove(id, out _);
            }
        });
        return ImportJobStatus.Started;
    }

    async Task Run(Guid id, RunningImport job, Reporter reporter)
    {
        using var heartbeat = new PeriodicTimer(reporter.Lease / 4);
        var beating = Beat(heartbeat, reporter, job);
        ImportJobStatus final;
        try
        {
            final = await job.Import!.Run(async status =>
            {
                try
                {
                    if (!await reporter.Send(status)) await job.Cancel();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The rows are committed; only the figures did not get through. The next report or heartbeat carries them.
                    log.LogWarning(e, "Import {Id}: a progress report failed", id);
                }
            });
        }
        catch (Exception e)
        {
            var status = job.Import!.Status(ImportJobStates.Failed);
            var why = stopping.IsCancellationRequested ? "the web host running it shut down"
                : job.Cancelled ? "its lease lapsed before the web host could report (the host was too slow or cut off from the cluster)"
                : $"a chunk could not be committed ({e.GetType().Name})";
            if (!stopping.IsCancellationRequested && !job.Cancelled) log.LogWarning(e, "Import {Id} failed after {Rows} rows", id, status.RowsRead);
            final = status with
            {
                Failure = $"The import stopped after {status.RowsRead} rows: {why}. Send the file again: the rows already imported "
                          + "are recognised as duplicates, and only what is missing is imported.",
            };
        }
        heartbeat.Dispose();
        await beating;
        // The file and the place go back before the end is told, so a client that reads "done" can start the next import at once.
        await job.DisposeAsync();
        // The last word matters most (else the lease lapses and a finished import reads as interrupted): a few tries.
        for (var attempt = 1; ; attempt++)
        {
            try { await reporter.Send(final); break; }
            catch (Exception e) when (attempt < 3)
            {
                log.LogWarning(e, "Import {Id}: the final report failed, retrying", id);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception e)
            {
                log.LogError(e, "Import {Id} ended {State} but could not say so: its lease will lapse and it will read as interrupted", id, final.State);
                break;
            }
        }
    }

    /// <summary>Renews the lease between chunks (a chunk on a loaded platform can take longer than the lease).</summary>
    async Task Beat(PeriodicTimer heartbeat, Reporter reporter, RunningImport job)
    {
        while (await heartbeat.WaitForNextTickAsync())
        {
            try
            {
                if (!await reporter.Resend()) await job.Cancel();
            }
            catch (Exception e)
            {
                log.LogWarning(e, "An import's heartbeat failed; the next one will try again");
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        try { await Task.WhenAll(running.Values).WaitAsync(cancellationToken); }
        catch (OperationCanceledException) { } // the host's own shutdown timeout: their leases say the rest
    }

    /// <summary>Numbers each report, so the grain keeps the newest when a heartbeat and a chunk's report cross.</summary>
    sealed class Reporter(IImportJobGrain grain, string owner, TimeSpan lease)
    {
        long next;
        ImportJobReport? last;

        public TimeSpan Lease => lease;

        public Task<bool> Send(ImportJobStatus status)
        {
            var report = new ImportJobReport(Interlocked.Increment(ref next), owner, status, lease);
            Volatile.Write(ref last, report);
            return grain.Report(report);
        }

        public Task<bool> Resend() => Volatile.Read(ref last) is { } report ? grain.Report(report) : Task.FromResult(true);
    }
}

public static class ImportJobsSetup
{
    public static IServiceCollection AddImportJobs(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section)
            .Validate(o => o.MaxRunning > 0 && o.Lease >= TimeSpan.FromSeconds(1), "Imports: MaxRunning must be above 0 and Lease at least a second.");
        services.AddSingleton<ImportJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportJobs>());
        return services;
    }
}
