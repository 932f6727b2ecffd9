using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Http;

/// <summary>The reads that can each keep the event store (or all 90 county grains) busy for long.</summary>
public enum HeavyRead
{
    /// <summary><c>GET /audit/events</c>: filters over the whole events table.</summary>
    Events,
    /// <summary><c>GET /audit/export</c>: a snapshot held while the file streams.</summary>
    Export,
    /// <summary><c>GET /audit/verify</c>: every event's hash recomputed.</summary>
    Verify,
    /// <summary><c>knownAt</c> on the resumption history: the county grains replay their streams.</summary>
    Replay,
}

/// <summary>How many reads of a kind may run at once on one web host, and how long one may take.</summary>
public sealed record HeavyReadPolicy
{
    public int MaxConcurrent { get; init; }
    public TimeSpan Timeout { get; init; }

    /// <summary>
    /// Exports only: the most rows a second one export streams (0: as fast as it can), raised when needed so that an
    /// export of its snapshot's size still ends within <see cref="Timeout"/> (<see cref="ExportPace"/>).
    /// </summary>
    public int RowsPerSecond { get; init; }
}

/// <summary>
/// Section "HeavyReads". The figures are our choice, not a published rule: a few of each at once leaves the store's
/// connections and the silos' time to the reports that matter during an outbreak; the timeouts let a large
/// county's timeline, a province export and a verification of a year's history finish.
/// </summary>
public sealed record HeavyReadOptions
{
    public const string Section = "HeavyReads";

    public HeavyReadPolicy Events { get; init; } = new() { MaxConcurrent = 16, Timeout = TimeSpan.FromSeconds(30) };
    public HeavyReadPolicy Export { get; init; } = new() { MaxConcurrent = 2, Timeout = TimeSpan.FromMinutes(15), RowsPerSecond = DefaultExportRowsPerSecond };

    /// <summary>
    /// Our choice, measured (BENCHMARKS.md, heavyReads): unpaced, one export streams about 80,000 rows a second and takes
    /// the CPU grid workers' reports need on a small deployment (their p99 tripled); at this pace a province of 2.4
    /// million events exports in 2 minutes.
    /// </summary>
    public const int DefaultExportRowsPerSecond = 20_000;
    public HeavyReadPolicy Verify { get; init; } = new() { MaxConcurrent = 1, Timeout = TimeSpan.FromMinutes(15) };
    public HeavyReadPolicy Replay { get; init; } = new() { MaxConcurrent = 2, Timeout = TimeSpan.FromSeconds(60) };

    public HeavyReadPolicy Of(HeavyRead kind) => kind switch
    {
        HeavyRead.Events => Events,
        HeavyRead.Export => Export,
        HeavyRead.Verify => Verify,
        _ => Replay,
    };
}

/// <summary>
/// Admits a heavy read while fewer than its kind's <see cref="HeavyReadPolicy.MaxConcurrent"/> run (on this web host), else
/// answers 429 at once: a caller retries later rather than queueing behind a read that may take minutes.
/// </summary>
public sealed class HeavyReadGate(IOptionsMonitor<HeavyReadOptions> options)
{
    public const int RetryAfterSeconds = 10;
    readonly int[] running = new int[Enum.GetValues<HeavyRead>().Length];

    public HeavyReadPolicy Policy(HeavyRead kind) => options.CurrentValue.Of(kind);

    /// <summary>A slot (give it back by disposing it), or null when the kind is at its cap.</summary>
    public IDisposable? TryEnter(HeavyRead kind)
    {
        var max = Policy(kind).MaxConcurrent;
        ref var count = ref running[(int)kind];
        for (var seen = Volatile.Read(ref count); seen < max; seen = Volatile.Read(ref count))
            if (Interlocked.CompareExchange(ref count, seen + 1, seen) == seen) return new Slot(this, kind);
        return null;
    }

    sealed class Slot(HeavyReadGate gate, HeavyRead kind) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) Interlocked.Decrement(ref gate.running[(int)kind]);
        }
    }

    /// <summary>
    /// A slot with its deadline (the kind's timeout, or the caller leaving), or the 429 when the kind is at its cap. The
    /// scope gives the slot back when disposed: at the end of the handler, or of the response for a streamed one.
    /// </summary>
    public (HeavyReadScope? Scope, ProblemDetails? Busy) Enter(HttpContext http, HeavyRead kind)
    {
        var slot = TryEnter(kind);
        return slot is null ? (null, TooMany(http, kind)) : (new HeavyReadScope(this, kind, slot, http.RequestAborted), null);
    }

    public ProblemDetails TooMany(HttpContext http, HeavyRead kind)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Status(StatusCodes.Status429TooManyRequests,
            $"{Policy(kind).MaxConcurrent} {Describe(kind)} already running on this host, the most allowed at once "
            + $"({HeavyReadOptions.Section}:{kind}:{nameof(HeavyReadPolicy.MaxConcurrent)}); retry in {RetryAfterSeconds} s.");
    }

    public ProblemDetails TimedOut(HeavyRead kind) => Problems.Unavailable(
        $"The {Describe(kind)} was stopped after {Policy(kind).Timeout.TotalSeconds:0.###} s "
        + $"({HeavyReadOptions.Section}:{kind}:{nameof(HeavyReadPolicy.Timeout)}): narrow it (a county, a shorter period) or retry when the platform is quieter.");

    /// <summary>The silo stopped the read at its bound (<see cref="HistoryReadTimedOutException"/>), or the read's own deadline passed (not the caller leaving).</summary>
    public static bool IsTimeout(Exception e, CancellationToken deadline, CancellationToken callerLeft)
    {
        if (callerLeft.IsCancellationRequested) return false;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is HistoryReadTimedOutException) return true;
        return (e is OperationCanceledException or TimeoutException) && deadline.IsCancellationRequested;
    }

    static string Describe(HeavyRead kind) => kind switch
    {
        HeavyRead.Events => "audit event queries",
        HeavyRead.Export => "audit exports",
        HeavyRead.Verify => "chain verifications",
        _ => "replays of the resumption history",
    };
}

/// <summary>A heavy read admitted by <see cref="HeavyReadGate.Enter"/>: its deadline, and its answer when the deadline passes.</summary>
public sealed class HeavyReadScope : IDisposable
{
    readonly HeavyReadGate gate;
    readonly HeavyRead kind;
    readonly IDisposable slot;
    readonly CancellationTokenSource deadline;
    readonly CancellationToken callerLeft;

    internal HeavyReadScope(HeavyReadGate gate, HeavyRead kind, IDisposable slot, CancellationToken callerLeft)
    {
        (this.gate, this.kind, this.slot, this.callerLeft) = (gate, kind, slot, callerLeft);
        Timeout = gate.Policy(kind).Timeout;
        deadline = CancellationTokenSource.CreateLinkedTokenSource(callerLeft);
        deadline.CancelAfter(Timeout);
    }

    public TimeSpan Timeout { get; }

    /// <summary>Cancelled at the kind's timeout or when the caller leaves.</summary>
    public CancellationToken Token => deadline.Token;

    /// <summary>The read stopped by its timeout (the silo's or ours), not by the caller leaving.</summary>
    public bool TimedOut(Exception e) => HeavyReadGate.IsTimeout(e, deadline.Token, callerLeft);

    /// <summary>The 503 for a read stopped by its timeout.</summary>
    public ProblemDetails TimedOutProblem() => gate.TimedOut(kind);

    public void Dispose()
    {
        deadline.Dispose();
        slot.Dispose();
    }
}

public static class HeavyReadSetup
{
    public static IServiceCollection AddEpiGridHeavyReads(this IServiceCollection services)
    {
        services.AddOptions<HeavyReadOptions>().BindConfiguration(HeavyReadOptions.Section)
            .Validate(o => Enum.GetValues<HeavyRead>().All(k => o.Of(k).MaxConcurrent > 0 && o.Of(k).Timeout > TimeSpan.Zero),
                "HeavyReads: MaxConcurrent and Timeout must be above 0 for Events, Export, Verify and Replay.")
            .Validate(o => o.Export.RowsPerSecond >= 0, "HeavyReads:Export:RowsPerSecond must be 0 (unpaced) or more.");
        services.AddSingleton<HeavyReadGate>();
        return services;
    }
}
