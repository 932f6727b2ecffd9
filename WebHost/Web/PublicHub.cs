using Microsoft.AspNetCore.SignalR;

namespace EpiGrid.WebHost.Web;

/// <summary>
/// Anonymous and send-only (/hubs/public): colour changes of counties ("countyChanged") and the counts per colour
/// ("provinceChanged"), never a cell, case or person. It has no methods a client may call.
/// </summary>
public sealed class PublicHub : Hub
{
    public const string Path = "/hubs/public";

    /// <summary>Relays the public part of a push batch (called by <see cref="Alerts.PushRelay"/>).</summary>
    public static Task Relay(IHubContext<PublicHub> hub, PushBatch batch, Province province)
    {
        var sends = batch.Counties.Select(c => hub.Clients.All.SendAsync("countyChanged",
            new PublicCountyChange(c.Code, PublicMapSource.ColoursOf(c), c.EvaluatedAt))).ToList();
        if (batch.Province is { } p)
            sends.Add(hub.Clients.All.SendAsync("provinceChanged",
                new PublicProvinceChange(p.ColourCounts, p.DefaultRuleSet, PublicMapSource.LocalDate(p.At, province), p.At)));
        return Task.WhenAll(sends);
    }
}
