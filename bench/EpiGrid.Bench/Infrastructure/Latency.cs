using HdrHistogram;

namespace EpiGrid.Bench.Infrastructure;

/// <summary>Latencies of one run in an HdrHistogram (microseconds, 3 significant digits), safe to record from many tasks.</summary>
public sealed class Latency
{
    readonly LongConcurrentHistogram histogram = new(1, 120_000_000, 3);

    public static long Start() => Stopwatch.GetTimestamp();

    public void Record(long started) =>
        histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));

    public long Count => histogram.TotalCount;

    public double PercentileMs(double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
}
