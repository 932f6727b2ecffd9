using System.Diagnostics;

namespace EpiGrid.Grains.Push;

/// <summary>
/// How long the push hub keeps trying. Our choices: a push slower than 5 s goes to another host of the backplane if
/// there is one; an undelivered batch is kept two minutes (long enough for a web host to restart and subscribe again,
/// which it does every 20 s) and tried again after 0.5, 1, 2, 4, then every 5 s.
/// </summary>
public static class PushRetry
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan KeepUndelivered = TimeSpan.FromMinutes(2);

    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(5000, 500 * Math.Pow(2, Math.Max(0, failures - 1))));

    /// <summary>Whether content that arrived at <paramref name="since"/> (a Stopwatch timestamp) has waited too long.</summary>
    public static bool IsStale(long since) => Stopwatch.GetElapsedTime(since) > KeepUndelivered;
}
