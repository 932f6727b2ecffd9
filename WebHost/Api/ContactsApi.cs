using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>One close contact of a case, as a case investigator, a police or transport match or a grid worker reports it.</summary>
public sealed record ContactItem
{
    public string? IdNumber { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    /// <summary>The cell where the contact stays (any county).</summary>
    public string? CellId { get; init; }
    public string? LastContactAt { get; init; }
    /// <summary>household, work, transport, medical, social or other.</summary>
    public string? Setting { get; init; }
    public string? Source { get; init; }
    public string? SourceRecordId { get; init; }
}

public sealed record ContactsRequest
{
    public List<ContactItem?>? Items { get; init; }
}

public sealed record ContactCode(string Colour, string? Reason, DateTimeOffset ValidUntil, string MaskedId);

public sealed record ContactAnswer(string PersonRef, bool Duplicate, ContactCode? Code);

public sealed record ContactsAnswer(IReadOnlyList<ContactAnswer> Items);

/// <summary>
/// Close contacts of a case (issue 16): each becomes a person under watch where they stay, in any county, with a red code
/// and a tracing task for that cell's workers and that county's officials. Re-sending a record changes nothing.
/// </summary>
public static class ContactsApi
{
    public const int MaxItems = 1000;
    public static readonly IReadOnlyList<string> Settings = ["household", "work", "transport", "medical", "social", "other"];
    const int PersonsInParallel = 32;

    public static RouteGroupBuilder MapContactsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/cases/{caseId}/contacts", Report).WithTags("Cases").WithName("reportContacts")
            .WithSummary($"Report up to {MaxItems} close contacts of a case (county: which county's case, when its id is used in several). "
                + "Each becomes a person under watch in the cell where they stay (any county): red code, quarantine until 14 normal days after the last contact, a tracing task to that cell. Answered in order; a record sent again changes nothing.")
            .Produces<ContactsAnswer>(StatusCodes.Status201Created).Produces<ContactsAnswer>().ProducesProblems(400, 403, 404, 503);
        api.MapPost("/persons/{personRef}/contacts", ReportOfContact).WithTags("Cases").WithName("reportContactsOfContact")
            .WithSummary($"Report up to {MaxItems} contacts of a close contact (次密接; the same items). Each becomes a person under watch where they stay: "
                + "yellow code for 7 days after the last contact (EpiGrid's reading), a task to that cell. A record sent again changes nothing.")
            .Produces<ContactsAnswer>(StatusCodes.Status201Created).Produces<ContactsAnswer>().ProducesProblems(400, 403, 404, 503);
        return api;
    }

    static async Task<IResult> Report(string caseId, ContactsRequest? body, string? county, HttpContext http, IClusterClient grains,
        Province province, IdentityHashing identityHashing, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        var (theCase, notFound) = await CaseLookup.Find(grains, province, caseId, county, http.RequestAborted);
        if (theCase is null) return notFound!.ToResult(http);
        // Reporting a case's contacts is writing about that case: those who may write to its cell.
        if (CellTarget.Check(theCase.CellId, CellAccess.Write, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        if (identityHashing.Protector is not { } protector) return identityHashing.NotConfigured.ToResult(http);

        var errors = new FieldErrors();
        var reports = Read(body, caseId, theCase.County, null, by, clock.GetUtcNow(), province, protector, errors);
        return reports is null ? errors.ToProblem().ToResult(http) : await Send(reports, caller, http, grains);
    }

    /// <summary>Contacts of a close contact (次密接): the same items, each watched for less (a yellow code for 7 days).</summary>
    static async Task<IResult> ReportOfContact(string personRef, ContactsRequest? body, HttpContext http, IClusterClient grains,
        Province province, IdentityHashing identityHashing, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var caller = Jurisdiction.Of(http.User);
        if (!PersonsApi.PersonRefPattern(personRef)) return Problems.Invalid("personRef", "Must be a person reference such as p3f2a...").ToResult(http);
        if (await grains.GetGrain<IPersonGrain>(personRef).CloseContactOf() is not { } contact)
            return Problems.NotFound($"No close contact {personRef} on record: contacts of contacts are registered for close contacts of a case.").ToResult(http);
        // Those who may write about the close contact: their cell's workers, their county's officials.
        if (CellTarget.Check(contact.CellId, CellAccess.Write, caller, province) is { } refused) return refused.ToResult(http);
        if (RequestProvenance.TryRead(http, caller, out var by) is { } badSource) return badSource.ToResult(http);
        if (identityHashing.Protector is not { } protector) return identityHashing.NotConfigured.ToResult(http);
        var errors = new FieldErrors();
        var reports = Read(body, contact.CaseId, contact.CaseCounty, personRef, by, clock.GetUtcNow(), province, protector, errors);
        return reports is null ? errors.ToProblem().ToResult(http) : await Send(reports, caller, http, grains);
    }

    static async Task<IResult> Send(List<ValidContact> reports, Jurisdiction caller, HttpContext http, IClusterClient grains)
    {
        // One person's records in order (the same person may be named twice); different persons at once.
        var answers = new (CommandResult Result, CodeView? Code)[reports.Count];
        await Parallel.ForEachAsync(reports.Select((r, i) => (r, i)).GroupBy(x => x.r.PersonRef),
            new ParallelOptions { MaxDegreeOfParallelism = PersonsInParallel }, async (person, _) =>
            {
                foreach (var (r, i) in person) answers[i] = await grains.GetGrain<IPersonGrain>(r.PersonRef).ReportContact(r.Report);
            });
        for (var i = 0; i < answers.Length; i++)
        {
            var result = answers[i].Result;
            if (result.Succeeded) continue;
            // The others may be recorded: the list sent again is recognised item by item.
            return (result.Outcome is Outcome.Unavailable or Outcome.Unknown
                ? Problems.Unavailable($"Not every contact could be recorded now (items[{i}] first); send the list again: the ones recorded are recognised.")
                : CommandOutcomes.ProblemOf(result, $"items[{i}].")!).ToResult(http);
        }
        var items = answers.Select((a, i) => new ContactAnswer(reports[i].PersonRef, a.Result.Outcome == Outcome.Unchanged,
            PersonsApi.ToResponse(a.Code, caller) is { } c ? new ContactCode(c.Colour, c.Reason, c.ValidUntil, c.MaskedId) : null)).ToList();
        var answer = new ContactsAnswer(items);
        return items.Any(i => !i.Duplicate) ? TypedResults.Created((string?)null, answer) : TypedResults.Ok(answer);
    }

    sealed record ValidContact(string PersonRef, ReportContact Report);

    /// <summary>Every item checked field by field ("items[i].field"); nothing is sent unless all are valid.</summary>
    /// <param name="contactOf">The close contact whose contacts these are (次密接), or null for the case's own.</param>
    static List<ValidContact>? Read(ContactsRequest? body, string caseId, string caseCounty, string? contactOf, Provenance by, DateTimeOffset now,
        Province province, PersonalDataProtector protector, FieldErrors errors)
    {
        if (body?.Items is not { Count: > 0 } items)
        {
            errors.Add("items", "Required: at least one contact.");
            return null;
        }
        if (items.Count > MaxItems)
        {
            errors.Add("items", $"At most {MaxItems} contacts a request; send the rest in further requests.");
            return null;
        }
        var today = now.LocalDay(province.Options.UtcOffset);
        var valid = new List<ValidContact>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var at = new FieldErrors($"items[{i}].");
            if (items[i] is not { } item)
            {
                errors.Add($"items[{i}]", "Required: a contact.");
                continue;
            }
            var person = PersonIdentity.Read(at, item.IdNumber, item.Name, item.Phone, today, protector);
            var cellId = Fields.Id(at, "cellId", item.CellId);
            if (cellId is not null && !province.HasCell(cellId))
                at.Add("cellId", "Must be a grid cell id of the province, such as 330782-001-001.");
            var last = Fields.Moment(at, "lastContactAt", item.LastContactAt, now);
            var setting = Fields.OneOf(at, "setting", item.Setting, Settings);
            var source = Fields.Id(at, "source", item.Source);
            var record = Fields.Id(at, "sourceRecordId", item.SourceRecordId);
            if (person is not null && person.PersonRef == contactOf) at.Add("idNumber", "A person is not their own contact.");
            errors.AddAll(at);
            if (at.Any) continue;
            valid.Add(new ValidContact(person!.PersonRef, new ReportContact(by with { Source = source! }, caseId, caseCounty,
                person.MaskedId, person.Name, person.MaskedPhone, person.PhoneHash, cellId!, last!.Value, setting!, new ReportSource(source!, record!), contactOf)));
        }
        return errors.Any ? null : valid;
    }
}
