using HdrHistogram;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>Latencies of one run in an HdrHistogram (microseconds, 3 significant digits), safe to record from many tasks.</summary>
public sealed class Latency
{
    readonly LongConcurrentHistogram histogram = new(1, 120_000_000, 3);

    public static long Start() => Stopwatch.GetTimestamp();

    public void Record(long started) =>
        histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));

    /// <summary>The time between two <see cref="Stopwatch.GetTimestamp"/> values (an arrival before the start counts as 1 µs).</summary>
    public void Record(long from, long to) =>
        histogram.RecordValue(Math.Max(1, (long)((to - from) * 1_000_000.0 / Stopwatch.Frequency)));

    public double MaxMs => histogram.GetMaxValue() / 1000.0;

    public long Count => histogram.TotalCount;

    public double PercentileMs(double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
}
