using System.Text.Json.Nodes;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>One valid batch item: the command for its cell and the id the caller will know it by.</summary>
sealed record BatchCommand(int Index, string CellId, string Id, CellCommand Command);

/// <summary>A traveller item about a person (an identity, a contact or symptoms): it takes the person path (<see cref="PersonArrivals"/>).</summary>
sealed record BatchArrival(int Index, string CellId, RegisterTravellerRequest Body);

/// <summary>
/// Reads one batch item with the very request types and validation of the single endpoints: "type",
/// "cellId" (and "caseId" for a status) are taken off the item, the rest must be that endpoint's body.
/// </summary>
static class BatchItems
{
    public const string Case = "case", Status = "status", Traveller = "traveller";

    public static (BatchCommand? Command, BatchArrival? Arrival, ProblemDetails? Problem) Read(
        JsonNode? node, int index, Jurisdiction caller, Provenance by, DateTimeOffset now, Province province, JsonSerializerOptions json,
        EpiGrid.People.PersonalDataProtector? protector)
    {
        var at = $"items[{index}]";
        if (node is not JsonObject item) return (null, null, Problems.Invalid(at, "Must be a JSON object."));

        var errors = new FieldErrors(at + ".");
        var type = Take(item, "type", errors);
        var cellId = Take(item, "cellId", errors);
        if (errors.Any) return (null, null, errors.ToProblem());
        if (type is not (Case or Status or Traveller))
            return (null, null, Problems.Invalid(at + ".type", $"Required: one of {Case}, {Status}, {Traveller}."));
        if (CellTarget.Check(cellId, CellAccess.Write, caller, province, at + ".cellId") is { } refused)
            return (null, null, refused);
        if (type == Traveller)
        {
            if (JsonBody.Read<RegisterTravellerRequest>(item, json, errors) is not { } traveller || errors.Any) return (null, null, errors.ToProblem());
            if (PersonArrivals.IsPersonal(traveller)) return (null, new BatchArrival(index, cellId!, traveller), null);
            return traveller.ToCommand(by, now, errors) is { } register && !errors.Any
                ? (new BatchCommand(index, cellId!, register.TravellerId, register), null, null)
                : (null, null, errors.ToProblem());
        }

        CellCommand? command = type switch
        {
            Case => JsonBody.Read<ReportCaseRequest>(item, json, errors)?.ToCommand(by, now, errors, protector),
            Status => Take(item, "caseId", errors) is var caseId && !errors.Any
                ? JsonBody.Read<ChangeCaseStatusRequest>(item, json, errors)?.ToCommand(caseId, by, now, errors)
                : null,
            _ => null,
        };
        if (command is null || errors.Any) return (null, null, errors.ToProblem());

        var id = command switch
        {
            ReportCase c => c.CaseId,
            ChangeCaseStatus s => s.CaseId,
            RegisterTraveller t => t.TravellerId,
            _ => cellId!,
        };
        return (new BatchCommand(index, cellId!, id, command), null, null);
    }

    /// <summary>Removes a string member (matched as leniently as request bodies are) and returns its value.</summary>
    static string? Take(JsonObject item, string name, FieldErrors errors)
    {
        var key = item.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (key is null) return null;
        var value = item[key];
        item.Remove(key);
        if (value is null) return null;
        if (value is JsonValue v && v.TryGetValue<string>(out var text)) return text;
        errors.Add(name, "Must be a string.");
        return null;
    }
}
