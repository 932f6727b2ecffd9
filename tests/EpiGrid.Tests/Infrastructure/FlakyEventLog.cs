using EpiGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Infrastructure;

/// <summary>
/// A store blip at the one true edge of the silo's writes: while a fault is on, the writes it picks fail as the
/// group commit reports an unreachable store (<see cref="StoreUnavailableException"/>, nothing committed); the others
/// go through the real group commit to the real PostgreSQL.
/// </summary>
public sealed class StoreBlip
{
    volatile Func<StreamWrite, bool>? failing;
    int refused;

    /// <summary>Writes refused so far.</summary>
    public int Refused => Volatile.Read(ref refused);

    public void Fail(Func<StreamWrite, bool> which) => failing = which;
    public void End() => failing = null;

    internal bool Refuses(StreamWrite write)
    {
        if (failing is not { } which || !which(write)) return false;
        Interlocked.Increment(ref refused);
        return true;
    }

    /// <summary>Puts the blip in front of the silo's event log (call from <see cref="EpiGridApp"/>'s DecorateSilo).</summary>
    public void Install(IServiceCollection services) =>
        services.AddSingleton<IEventLog>(sp => new FlakyEventLog(sp.GetRequiredService<GroupCommitLog>(), this));
}

public sealed class FlakyEventLog(IEventLog inner, StoreBlip blip) : IEventLog
{
    public Task AppendAsync(StreamWrite write, CancellationToken cancellationToken = default) =>
        blip.Refuses(write)
            ? Task.FromException(new StoreUnavailableException("Store blip (test fault)", new TimeoutException("blip")))
            : inner.AppendAsync(write, cancellationToken);
}
