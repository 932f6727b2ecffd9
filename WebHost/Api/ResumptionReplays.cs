using EpiGrid.WebHost.Audit;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// The resumption history as recorded by a past moment (knownAt) is a replay: each county grain reads its whole
/// stream, and the province asks all 90. So it is an audit read, with the audit roles (a county official their own
/// county), and a heavy one: a few at a time (<see cref="HeavyRead.Replay"/>), given up after its timeout. The live
/// history (no knownAt) stays open to every role.
/// </summary>
public static class ResumptionReplays
{
    /// <summary>Why this caller may not replay a county's (or, with null, the province's) history, or null.</summary>
    public static ProblemDetails? Refusal(HttpContext http, string? county)
    {
        var access = AuditAccess.Of(http);
        if (county is null ? access.Province : access.MayRead(county)) return null;
        return Problems.Forbidden(county is null
            ? $"Role '{access.Caller.Role}' may not replay the province's history (knownAt): auditors, province officials and admins do."
            : $"Role '{access.Caller.Role}' may not replay county {county}'s history (knownAt): auditors, province officials, admins and the county's officials do.");
    }

    /// <summary>
    /// Runs a replay in a slot, or answers 429 when the slot is taken and 503 past the timeout. The slot is held until
    /// the grains have answered, even after the caller was told 503: the cap bounds the silos' work, not only the waiting.
    /// </summary>
    public static async Task<(T? Value, ProblemDetails? Problem)> Run<T>(HttpContext http, HeavyReadGate heavy, Func<Task<T>> replay)
    {
        var slot = heavy.TryEnter(HeavyRead.Replay);
        if (slot is null) return (default, heavy.TooMany(http, HeavyRead.Replay));
        Task<T> running;
        try { running = replay(); }
        catch
        {
            slot.Dispose();
            throw;
        }
        _ = running.ContinueWith(_ => slot.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return (await running.WaitAsync(heavy.Policy(HeavyRead.Replay).Timeout, http.RequestAborted), null);
        }
        catch (TimeoutException)
        {
            return (default, heavy.TimedOut(HeavyRead.Replay));
        }
    }
}
