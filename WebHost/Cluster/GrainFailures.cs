using Orleans.Runtime;

namespace EpiGrid.WebHost.Cluster;

/// <summary>Which failures of a grain call mean "the cluster is not there right now" (503) rather than a bug (500).</summary>
public static class GrainFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        TimeoutException => true,
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException => true,
        ClientNotAvailableException or OrleansLifecycleCanceledException => true,
        Orleans.Runtime.Messaging.ConnectionFailedException => true,
        AggregateException { InnerExceptions.Count: 1 } aggregate => IsUnavailable(aggregate.InnerExceptions[0]),
        _ => false,
    };
}
