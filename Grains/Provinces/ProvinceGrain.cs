using EpiGrid.Grains.Counties;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Orleans.Streams.Core;
using EpiGrid.Counties;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;
using EpiGrid.Provinces;


namespace EpiGrid.Grains.Provinces;

/// <summary>Options of the province grain (section "Province").</summary>
public sealed record ProvinceOptions
{
    public const string Section = "Province";
    /// <summary>
    /// This often the province reads every county's cell version sum from the store (one grouped query, skipped while
    /// nothing was committed) and asks every county for its state, giving it the sum to compare with. A lost stream
    /// message leaves the map behind the store for at most about two intervals.
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>The province map: the latest state of every county, from the counties' stream and from asking them.</summary>
[ImplicitStreamSubscription(StreamNames.CountyChanges)]
public sealed class ProvinceGrain(
    OneOfAKindGrains oneOfAKind,
    EpiGrid.Geography.Province province, RuleBook rules, CountyRecords records, IOptions<ProvinceOptions> options, ILogger<ProvinceGrain> log)
    : Grain, IProvinceGrain, IStreamSubscriptionObserver, IAsyncObserver<CountyView>
{
    readonly Dictionary<string, CountyView> counties = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Refresh();
        var every = options.Value.RefreshInterval;
        this.RegisterGrainTimer(Refresh, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
    }

    public Task<ProvinceView> GetView()
    {
        var list = province.Counties.Select(c => counties.GetValueOrDefault(c.Code)).OfType<CountyView>().ToList();
        var summary = Summary();
        return Task.FromResult(new ProvinceView(list, summary.ColourCounts, rules.Default.Name, summary.At));
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<CountyView>().ResumeAsync(this);

    public Task OnNextAsync(CountyView item, StreamSequenceToken? token = null)
    {
        Keep(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        log.LogWarning(ex, "Stream error in the province grain");
        return Task.CompletedTask;
    }

    async Task Refresh()
    {
        IReadOnlyDictionary<string, long>? stored = null;
        try { stored = await records.VersionSums(); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "The province could not read the counties' versions from the store; asking the counties only");
        }
        var views = await Task.WhenAll(province.Counties.Select(c =>
        {
            var county = GrainFactory.GetGrain<ICountyGrain>(c.Code);
            return stored is null ? county.GetView() : county.Verify(stored.GetValueOrDefault(c.Code));
        }));
        foreach (var v in views) Keep(v);
    }

    void Keep(CountyView view)
    {
        if (counties.TryGetValue(view.Code, out var known) && known.EvaluatedAt > view.EvaluatedAt) return;
        counties[view.Code] = view;
        if (known is not null && view.Colours.All(c => c.Value.SameOutcomeAs(known.Colours.GetValueOrDefault(c.Key)))) return;
        if (counties.Count < province.Counties.Count) return;
        var summary = Summary();
        _ = oneOfAKind.PushHub.Publish(PushBatch.Of(summary));
    }

    ProvinceSummary Summary()
    {
        var list = counties.Values.ToList();
        return new ProvinceSummary(CountyProjection.ColourCounts(list, rules), rules.Default.Name,
            list.Count == 0 ? DateTimeOffset.MinValue : list.Max(v => v.EvaluatedAt));
    }
}
