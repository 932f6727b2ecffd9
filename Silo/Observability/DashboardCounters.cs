using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Silo.Observability;

/// <summary>
/// The Orleans dashboard's silo side collects Orleans' metrics for its counters page every second, with a reader of its
/// own (its <c>DashboardHost</c>). Among them are gauges that walk the silo's whole activation table and directory cache
/// at each collection: with 85,000 cells awake that was about 30 ms of CPU a second, 40 % of an idle silo's CPU and 7 %
/// of a busy one's (measured with <c>dotnet-trace collect-linux --profile cpu-sampling</c>, BENCHMARKS.md). The
/// interval is not an option of the package but an internal property of that host, so the host is built here with the
/// interval of <see cref="SiloObservabilityOptions.DashboardCountersInterval"/>. If a new version of the package
/// renames either, the silo refuses to start rather than quietly burning the CPU again.
/// </summary>
public static class DashboardCounters
{
    const string HostTypeName = "Orleans.Dashboard.DashboardHost";
    const string IntervalProperty = "ExportIntervalMilliseconds";

    /// <summary>Call after <c>AddDashboard</c>: the dashboard's host collects its counters every <paramref name="interval"/>.</summary>
    public static IServiceCollection CollectDashboardCountersEvery(this IServiceCollection services, TimeSpan interval)
    {
        var registration = services.SingleOrDefault(d => d.ServiceType.FullName == HostTypeName && d.ImplementationType is not null)
            ?? throw new InvalidOperationException($"{HostTypeName} is not registered: call AddDashboard first, or the dashboard package changed");
        var hostType = registration.ServiceType;
        var property = Interval(hostType);
        // Timeout.Infinite (-1) is the host's own "no periodic collection".
        var milliseconds = interval <= TimeSpan.Zero ? Timeout.Infinite : (int)Math.Min(int.MaxValue, interval.TotalMilliseconds);
        services[services.IndexOf(registration)] = ServiceDescriptor.Singleton(hostType, provider =>
        {
            var host = ActivatorUtilities.CreateInstance(provider, hostType);
            property.SetValue(host, milliseconds);
            return host;
        });
        return services;
    }

    /// <summary>The interval the dashboard's host of this silo collects at, in milliseconds (-1: never); for tests.</summary>
    public static int CollectionInterval(IServiceProvider services)
    {
        var hostType = typeof(Orleans.Dashboard.DashboardOptions).Assembly.GetType(HostTypeName, throwOnError: true)!;
        return (int)Interval(hostType).GetValue(services.GetRequiredService(hostType))!;
    }

    static PropertyInfo Interval(Type hostType) =>
        hostType.GetProperty(IntervalProperty, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new InvalidOperationException($"{HostTypeName}.{IntervalProperty} is gone: the dashboard package changed");
}
