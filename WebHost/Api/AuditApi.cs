using EpiGrid.WebHost.Audit;
using EpiGrid.Counties.Rules;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

public sealed record AuditEvent(
    long Seq, string Stream, long Version, string Kind, string? Actor, string? Source,
    DateTimeOffset? OccurredAt, DateTimeOffset? RecordedAt, string? Reason, DateTimeOffset StoredAt, JsonElement Data);

public sealed record AuditEventsPage(int Page, int PageSize, bool HasMore, IReadOnlyList<AuditEvent> Events);

/// <summary>
/// The history, read-only: timelines of streams, counties and persons, and why a county had a colour. Every
/// audit query is itself recorded (<see cref="QueryRecords"/>) before it is answered.
/// </summary>
public static class AuditApi
{
    const int DefaultPageSize = 100, MaxPageSize = 1000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/events", Events).WithName("listAuditEvents").WithSummary(
            "Events of a stream (cell:<id>, county:<code>, audit:<actor>, ...), a county or a person (case or traveller id), paged, filtered by time and kind. Personal data masked unless personalData=clear (admin, with a recorded reason).")
            .ProducesProblems(400, 403);
        audit.MapGet("/counties/{code}/colours/{ruleSet}", Why).WithName("explainCountyColour").WithSummary(
            "Why a county had its colour under a rule set at a moment: the decision, its inputs, and what moved them across the threshold.")
            .ProducesProblems(400, 403, 404);
        audit.MapGet("/persons/{personRef}/code", PersonCode).WithName("getPersonCodeAsOf").WithSummary(
            "A person's health code as it stood at a moment (asOf: in the world; knownAt: with what was known then; default now), with every fact the code rules judged. Masked identity; recorded as an audit query.")
            .ProducesProblems(400, 403, 404);
        audit.MapAuditWhatIfApi().MapAuditExportApi().MapAuditDigestsApi();
        return api;
    }

    static async Task<Results<Ok<AuditEventsPage>, ProblemHttpResult>> Events(
        HttpContext http, IGrainFactory grains, QueryRecords records, HeavyReadGate heavy,
        string? stream, string? county, string? person, string? kind, DateTimeOffset? from, DateTimeOffset? to,
        string? time, int? page, int? pageSize, string? personalData, string? reason)
    {
        var (query, access, refused) = Open(http, stream, county, person, kind, from, to, time, errors =>
        {
            if (page is < 1) errors.Add("page", "Pages count from 1.");
            if (pageSize is < 1 or > MaxPageSize) errors.Add("pageSize", $"Between 1 and {MaxPageSize}.");
        });
        if (refused is not null) return refused.ToResult(http);
        var (clear, why, notClear) = PersonalData.Choice(access, personalData, reason);
        if (notClear is not null) return notClear.ToResult(http);

        var (read, busy) = heavy.Enter(http, HeavyRead.Events);
        if (busy is not null) return busy.ToResult(http);
        using var _ = read;
        int number = page ?? 1, size = pageSize ?? DefaultPageSize;
        IReadOnlyList<StoredRow> rows;
        try
        {
            rows = await grains.GetGrain<IHistoryGrain>(0).Events(query.Filter, (long)(number - 1) * size, size + 1, read!.Timeout, read.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        // Recorded once read, before it is answered: a query stopped by its timeout showed nothing.
        await records.Record(http, "events", why);
        var more = rows.Count > size;
        return TypedResults.Ok(new AuditEventsPage(number, size, more, rows.Take(size).Select(row => Describe(row, clear)).ToList()));
    }

    static async Task<Results<Ok<ColourExplanation>, ProblemHttpResult>> Why(
        string code, string ruleSet, HttpContext http, Province province, RuleBook rules, IGrainFactory grains,
        QueryRecords records, [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? at, DateTimeOffset? knownAt)
    {
        if (province.Find(code) is null) return Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http);
        if (rules.Find(ruleSet) is null)
            return Problems.NotFound($"There is no rule set {ruleSet}; known: {string.Join(", ", rules.RuleSets.Select(r => r.Name))}.").ToResult(http);
        if (AuditAccess.Of(http).Refusal(code) is { } refused) return refused.ToResult(http);
        if (Moments.Refusal(at, knownAt, clock.GetUtcNow(), asOfField: "at") is { } badMoment) return badMoment.ToResult(http);
        await records.Record(http, "why");
        return TypedResults.Ok(await grains.GetGrain<IHistoryGrain>(0).Explain(code, ruleSet, Moment.From(at, knownAt, clock.GetUtcNow()), http.RequestAborted));
    }

    static async Task<Results<Ok<EpiGrid.People.PersonCodeHistory>, ProblemHttpResult>> PersonCode(
        string personRef, HttpContext http, IGrainFactory grains, QueryRecords records,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        if (!PersonsApi.PersonRefPattern(personRef)) return Problems.Invalid("personRef", "Must be a person reference such as p3f2a...").ToResult(http);
        // The person's history is their county's: read with the county's audit rights (where the person stays now).
        if (await grains.GetGrain<EpiGrid.People.IPersonGrain>(personRef).CellOf() is not { } cell)
            return Problems.NotFound($"No person {personRef} on record.").ToResult(http);
        if (AuditAccess.Of(http).Refusal(Province.CountyOfCell(cell)) is { } refused) return refused.ToResult(http);
        var now = clock.GetUtcNow();
        if (Moments.Refusal(asOf, knownAt, now) is { } badMoment) return badMoment.ToResult(http);
        await records.Record(http, "person-code");
        return await grains.GetGrain<IHistoryGrain>(0).PersonCode(personRef, Moment.From(asOf, knownAt, now), http.RequestAborted) is { } code
            ? TypedResults.Ok(code)
            : Problems.NotFound($"No person {personRef} on record at that moment.").ToResult(http);
    }

    /// <summary>
    /// The opening every audit read of events shares: the query checked field by field (with the endpoint's own fields,
    /// <paramref name="more"/>), then the caller's jurisdiction over it. A refusal is the problem to answer.
    /// </summary>
    internal static (EventQuery Query, AuditAccess Access, ProblemDetails? Refusal) Open(
        HttpContext http, string? stream, string? county, string? person, string? kind, DateTimeOffset? from, DateTimeOffset? to,
        string? time, Action<FieldErrors> more)
    {
        var errors = new FieldErrors();
        var axis = ReadAxis(time, errors);
        more(errors);
        var query = EventQuery.Build(stream, county, person, kind, from, to, axis, errors);
        var access = AuditAccess.Of(http);
        return (query, access, errors.Any ? errors.ToProblem() : access.Refusal(query.County));
    }

    static TimeAxis ReadAxis(string? time, FieldErrors errors)
    {
        switch (time?.ToLowerInvariant())
        {
            case null or "occurred": return TimeAxis.Occurred;
            case "recorded": return TimeAxis.Recorded;
            default:
                errors.Add("time", "occurred (default) or recorded.");
                return TimeAxis.Occurred;
        }
    }

    static AuditEvent Describe(StoredRow row, bool clear)
    {
        using var json = JsonDocument.Parse(clear ? row.Data : PersonalData.Masked(row));
        var data = json.RootElement.Clone();
        var meta = data.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string? Text(string name) => meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        DateTimeOffset? Time(string name) => DateTimeOffset.TryParse(Text(name), out var t) ? t : null;
        return new AuditEvent(row.Seq, row.Stream, row.Version, row.Kind, Text("actor"), Text("source"),
            Time("occurredAt"), Time("recordedAt"), Text("reason"), row.StoredAt, data);
    }
}
