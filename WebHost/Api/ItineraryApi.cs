using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>One place of an itinerary: a county of the province (by division code) or an area outside it (by name).</summary>
public sealed record StayItem
{
    public string? County { get; init; }
    public string? Area { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
}

public sealed record ItineraryRequest
{
    public List<StayItem?>? Items { get; init; }
    public string? Source { get; init; }
    public string? SourceRecordId { get; init; }
}

public sealed record ItineraryAnswer(string PersonRef, bool Duplicate, int Stays, PersonsApi.CodeResponse? Code);

/// <summary>
/// Where a person has been (issue 16): an itinerary from a source (a transport or police match, a case investigator, a grid
/// worker). Stays in counties of the province are screened against the platform's colour history (spatial screening, EpiGrid's
/// reading): a county red or orange under the default rule set within 14 days of the stay makes the code red, yellow makes it
/// yellow, now and whenever the county turns so later.
/// </summary>
public static class ItineraryApi
{
    public const int MaxItems = 50;
    /// <summary>How far back an itinerary may reach: beyond the 14 days screening looks at, with room for late reports.</summary>
    public const int MaxDaysBack = 60;

    public static RouteGroupBuilder MapItineraryApi(this RouteGroupBuilder api)
    {
        api.MapPost("/persons/{personRef}/itinerary", Report).WithTags("Persons").WithName("reportItinerary")
            .WithSummary($"Up to {MaxItems} places a person stayed ({{county}} of the province or {{area}} outside it, from, to), from one source record. "
                + "Counties are screened against their colour history under the default rule set; the code changes at once when one was red, orange or yellow within 14 days of the stay.")
            .Produces<ItineraryAnswer>(StatusCodes.Status201Created).Produces<ItineraryAnswer>().ProducesProblems(400, 403, 404, 503);
        return api;
    }

    static async Task<IResult> Report(string personRef, ItineraryRequest? body, HttpContext http, IClusterClient grains, Province province,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!PersonsApi.PersonRefPattern(personRef)) return Problems.Invalid("personRef", "Must be a person reference such as p3f2a...").ToResult(http);
        var person = grains.GetGrain<IPersonGrain>(personRef);
        if (await person.CellOf() is not { } cellId) return Problems.NotFound($"No person {personRef} on record.").ToResult(http);
        if (CellTarget.Check(cellId, CellAccess.Write, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        var errors = new FieldErrors();
        var stays = Read(body?.Items, clock.GetUtcNow(), province, errors, "items");
        var source = Fields.Id(errors, "source", body?.Source);
        var record = Fields.Id(errors, "sourceRecordId", body?.SourceRecordId);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        var (result, code) = await person.RecordStays(new ReportStays(by with { Source = source! }, new ReportSource(source!, record!), stays!));
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);
        var answer = new ItineraryAnswer(personRef, result.Outcome == Outcome.Unchanged, stays!.Count, PersonsApi.ToResponse(code, caller));
        return result.Outcome == Outcome.Created ? TypedResults.Created($"/api/v1/codes/{personRef}", answer) : TypedResults.Ok(answer);
    }

    /// <summary>An itinerary's stays, checked field by field (<c>{field}[i].county</c>); null when any is wrong.</summary>
    public static List<Stay>? Read(IReadOnlyList<StayItem?>? items, DateTimeOffset now, Province province, FieldErrors errors, string field)
    {
        if (items is not { Count: > 0 })
        {
            errors.Add(field, "Required: at least one place, {\"county\" or \"area\", \"from\", \"to\"}.");
            return null;
        }
        if (items.Count > MaxItems)
        {
            errors.Add(field, $"At most {MaxItems} places.");
            return null;
        }
        var stays = new List<Stay>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var at = new FieldErrors($"{field}[{i}].");
            if (items[i] is not { } item)
            {
                errors.Add($"{field}[{i}]", "Required: a place.");
                continue;
            }
            string? county = null, area = null;
            if (item.County is not null == item.Area is not null)
                at.Add("county", "Give either county (a division code of the province, e.g. 330782) or area (a place outside it), not both.");
            else if (item.County is not null)
            {
                county = item.County;
                if (county.Length != 6 || !county.All(char.IsAsciiDigit) || province.Find(county) is null)
                    at.Add("county", "Must be the division code of a county of the province, e.g. 330782.");
            }
            else area = Fields.Text(at, "area", item.Area, maxLength: 100);
            var from = Fields.Moment(at, "from", item.From, now);
            var to = Fields.Moment(at, "to", item.To, now);
            if (from is { } f && to is { } t)
            {
                if (t < f) at.Add("to", "Must not be before from.");
                if (f < now.AddDays(-MaxDaysBack)) at.Add("from", $"Must be within the last {MaxDaysBack} days.");
            }
            errors.AddAll(at);
            if (!at.Any) stays.Add(new Stay(county, area, from!.Value, to!.Value));
        }
        return errors.Any ? null : stays;
    }
}
