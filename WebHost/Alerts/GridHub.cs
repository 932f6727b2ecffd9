using EpiGrid.Alerts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Alerts;

/// <summary>
/// The one hub (/hubs/grid). A connection joins the groups its token's claims allow; alerts, cell, county and
/// province changes arrive pushed (<see cref="IGridClient"/>). A client that was away asks catchUp(lastSeq).
/// </summary>
[Authorize]
public sealed class GridHub(IClusterClient grains, AlertAcknowledgements acknowledgements, ILogger<GridHub> log) : Hub<IGridClient>
{
    public const string Path = "/hubs/grid";
    /// <summary>The most alerts one catchUp answers: a caller further behind asks again from the last it got.</summary>
    public const int CatchUpPage = 1000;

    /// <summary>
    /// Read before the arguments are checked, so that an overlong note is answered (a HubException naming it) rather
    /// than the connection closed; SignalR's default is 32 KB. Our choice: room for any argument the hub takes, with margin.
    /// </summary>
    public const long MaxMessageBytes = 128 * 1024;
    /// <summary>Alert ids are made by the rules (kind:cell:case and the like); the query grain knows none longer.</summary>
    const int MaxAlertIdLength = 300;
    /// <summary>Group names are "cell:&lt;id&gt;", "county:&lt;code&gt;" and the like.</summary>
    const int MaxGroupLength = 100;

    Jurisdiction Caller => Jurisdiction.Of(Context.User!);

    public override async Task OnConnectedAsync()
    {
        foreach (var group in AlertAudience.GroupsOf(Caller))
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
    }

    /// <summary>Join one more group; only groups within the caller's jurisdiction.</summary>
    public async Task Join(string group)
    {
        group = HubArguments.Text(nameof(group), group, MaxGroupLength);
        if (!AlertAudience.GroupsOf(Caller).Contains(group))
        {
            log.LogWarning("{Actor} ({Role}) asked to join {Group}, outside their jurisdiction", Caller.Actor, Caller.Role, group);
            throw new HubException($"Group '{group}' is outside your jurisdiction.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
    }

    /// <summary>Acknowledge an alert: recorded with who and when, and pushed to every screen that shows it.</summary>
    public async Task<AlertPayload> Ack(string alertId, string? note = null)
    {
        alertId = HubArguments.Text(nameof(alertId), alertId, MaxAlertIdLength);
        var caller = Caller;
        var answer = await acknowledgements.Acknowledge(caller, alertId, note, nameof(note), new Provenance(caller.Actor, "signalr", Context.ConnectionId));
        if (answer.Alert is { } alert) return alert;
        throw answer.BadNote is { } badNote
            ? HubArguments.Refused(nameof(note), badNote)
            : new HubException(answer.Problem?.Detail ?? "The alert could not be acknowledged; retry.");
    }

    /// <summary>Every alert raised for this caller after <paramref name="sinceSeq"/>, in order (at most <see cref="CatchUpPage"/>; call again with the last seq).</summary>
    public async Task<IReadOnlyList<AlertPayload>> CatchUp(long sinceSeq)
    {
        if (sinceSeq < 0) throw new HubException("sinceSeq must be 0 (everything) or the last seq received.");
        var upTo = await grains.GetGrain<IAlertLedgerGrain>(0).CommittedThrough();
        if (sinceSeq >= upTo) return [];
        var alerts = await grains.GetGrain<IAlertQueryGrain>(0).Find(new AlertQuery(AlertAudience.GroupsOf(Caller), sinceSeq, Limit: CatchUpPage, UpToSeq: upTo));
        return alerts.Select(AlertPayload.From).ToList();
    }
}
