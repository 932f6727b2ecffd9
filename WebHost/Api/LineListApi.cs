using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using EpiGrid.People;
using EpiGrid.WebHost.Audit;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>A page of a line list; <c>nextCursor</c> is absent on the last page.</summary>
public sealed record CaseListAnswer(IReadOnlyList<CaseLine> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);

/// <summary>
/// Line lists (issue 17): a county's or the province's cases, one per line, filtered (kind, status, occurrence between from
/// and to, cell, cluster, linked), in pages with an opaque cursor, live or as of a moment (asOf, knownAt), or streamed as CSV
/// with the same columns. Who may read: as for cells (a grid worker their own cells' cases, naming the cell; a county official
/// their county's; the province's roles all); as of a moment, those with audit rights over the county, and recorded.
/// </summary>
public static class LineListApi
{
    public const int DefaultLimit = 100, MaxLimit = 1_000;
    /// <summary>A CSV as of a moment is read in one fold of the province's cases (the fold is the cost, not the rows).</summary>
    const int MaxCsvRowsAsOf = 1_000_000;

    static readonly string[] Columns =
        ["caseId", "county", "cellId", "kind", "status", "local", "occurredAt", "statusAt", "clusterId", "infectedBy", "linked", "maskedId", "onsetAt"];

    public static RouteGroupBuilder MapLineListApi(this RouteGroupBuilder api)
    {
        var lists = api.MapGroup("").WithTags("Line lists");
        const string Filters = " Filters: kind, status, from/to (occurrence), cell, cluster, linked; limit (1-1000, default 100) and cursor (nextCursor of the previous page); asOf/knownAt; format=csv streams every matching case with the same columns.";
        lists.MapGet("/counties/{code}/cases", County).WithName("listCountyCases")
            .WithSummary("The county's line list: its cases, one per line, in key order." + Filters)
            .Produces<CaseListAnswer>().Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblems(400, 403, 404, 429, 503);
        lists.MapGet("/province/cases", ProvinceList).WithName("listProvinceCases")
            .WithSummary("The province's line list (province officials, auditors, admins)." + Filters)
            .Produces<CaseListAnswer>().Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblems(400, 403, 429, 503);
        return api;
    }

    static async Task<IResult> County(string code, HttpContext http, IClusterClient grains, Province province, QueryRecords records, HeavyReadGate heavy,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        if (province.Find(code) is null) return Problems.NotFound($"There is no county {code} in {province.Options.ProvinceNameEn}.").ToResult(http);
        var errors = new FieldErrors();
        var query = Read(http.Request.Query, code, province, errors);
        var csv = Format(http.Request.Query, errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        var access = AuditAccess.Of(http);
        var historical = asOf is not null || knownAt is not null;
        if (historical)
        {
            if (access.Refusal(code) is { } notAuditor) return notAuditor.ToResult(http);
        }
        else if (access.Caller.Role == Roles.GridWorker)
        {
            // A grid worker reads their own cells: the list of one of them.
            if (query!.CellId is not { } cell || !access.Caller.May(CellAccess.Read, cell))
                return Problems.Forbidden("A grid worker lists the cases of their own cells: name one with cell=.").ToResult(http);
        }
        else if (!access.MayRead(code))
            return Problems.Forbidden($"Role '{access.Caller.Role}' may not list county {code}'s cases: its officials (and its grid workers, cell by cell), province officials, auditors and admins do.").ToResult(http);
        return await Answer(query!, csv, historical, asOf, knownAt, code, http, grains, records, heavy, clock);
    }

    static async Task<IResult> ProvinceList(HttpContext http, IClusterClient grains, Province province, QueryRecords records, HeavyReadGate heavy,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock, DateTimeOffset? asOf, DateTimeOffset? knownAt)
    {
        var access = AuditAccess.Of(http);
        if (!access.Province)
            return Problems.Forbidden($"Role '{access.Caller.Role}' may not list the province's cases: province officials, auditors and admins do (county officials: /counties/{{code}}/cases).").ToResult(http);
        var errors = new FieldErrors();
        var query = Read(http.Request.Query, null, province, errors);
        var csv = Format(http.Request.Query, errors);
        if (errors.Any) return errors.ToProblem().ToResult(http);
        return await Answer(query!, csv, asOf is not null || knownAt is not null, asOf, knownAt, null, http, grains, records, heavy, clock);
    }

    static async Task<IResult> Answer(CaseListQuery query, bool csv, bool historical, DateTimeOffset? asOf, DateTimeOffset? knownAt, string? county,
        HttpContext http, IClusterClient grains, QueryRecords records, HeavyReadGate heavy, TimeProvider clock)
    {
        var history = grains.GetGrain<IHistoryGrain>(0);
        if (!historical)
        {
            // From the cursor when one is given (the rest of a list), then page after page.
            if (csv) return Csv(http, county, async (after, token) => await history.Cases(query with { After = after ?? query.After, Limit = MaxLimit }, null, token));
            var page = await history.Cases(query, null, http.RequestAborted);
            return TypedResults.Ok(new CaseListAnswer(page.Items, Cursor(page.NextKey)));
        }
        // As of a moment: a replay of every cell's cases, so a few at a time, and recorded as an audit query.
        var now = clock.GetUtcNow();
        if (Moments.Refusal(asOf, knownAt, now) is { } badMoment) return badMoment.ToResult(http);
        var moment = Moment.From(asOf, knownAt, now);
        var (read, busy) = heavy.Enter(http, HeavyRead.Replay);
        if (busy is not null) return busy.ToResult(http);
        using var _ = read;
        CaseListPage then;
        try
        {
            then = await history.Cases(csv ? query with { Limit = MaxCsvRowsAsOf } : query, moment, read!.Token);
        }
        catch (Exception e) when (read!.TimedOut(e))
        {
            return read.TimedOutProblem().ToResult(http);
        }
        await records.Record(http, "case-list");
        if (csv) return Csv(http, county, (_, _) => Task.FromResult(then with { NextKey = null }));
        return TypedResults.Ok(new CaseListAnswer(then.Items, Cursor(then.NextKey)));
    }

    /// <summary>The list as CSV, page after page as it is written (formula-safe cells, masked identities, <c>caseId</c> first).</summary>
    static IResult Csv(HttpContext http, string? county, Func<string?, CancellationToken, Task<CaseListPage>> pages) =>
        TypedResults.Stream(async output =>
        {
            await using var writer = new StreamWriter(output, new UTF8Encoding(false));
            await writer.WriteAsync(string.Join(',', Columns) + "\n");
            string? after = null;
            do
            {
                var page = await pages(after, http.RequestAborted);
                foreach (var c in page.Items)
                    await writer.WriteAsync(CsvCells.Line([
                        c.CaseId, c.County, c.CellId, c.Kind, c.Status, c.Local ? "true" : "false", c.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
                        c.StatusAt?.ToString("O", CultureInfo.InvariantCulture), c.ClusterId, c.InfectedBy, c.Linked ? "true" : "false", c.MaskedId,
                        c.OnsetAt?.ToString("O", CultureInfo.InvariantCulture)]) + "\n");
                await writer.FlushAsync(http.RequestAborted);
                after = page.NextKey;
            } while (after is not null);
        }, "text/csv; charset=utf-8", $"epigrid-cases-{county ?? "province"}.csv");

    static string? Cursor(string? key) => key is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    static bool Format(IQueryCollection q, FieldErrors errors)
    {
        var format = q["format"].ToString();
        if (format is "" or "json") return false;
        if (format == "csv") return true;
        errors.Add("format", "Must be json (the default) or csv.");
        return false;
    }

    /// <summary>The filters, checked one by one (400 naming the parameter); the cell must be of the county listed.</summary>
    static CaseListQuery? Read(IQueryCollection q, string? county, Province province, FieldErrors errors)
    {
        string? One(string name)
        {
            var values = q[name];
            if (values.Count > 1) errors.Add(name, "Give it once.");
            return values.Count == 0 || string.IsNullOrEmpty(values[0]) ? null : values[0];
        }
        CaseKind? kind = null;
        if (One("kind") is { } k)
            if (CaseVocabulary.TryParseKind(k, out var parsed)) kind = parsed;
            else errors.Add("kind", $"Must be one of {CaseVocabulary.Kinds}.");
        CaseStatus? status = null;
        if (One("status") is { } s)
            if (CaseVocabulary.TryParseStatus(s, out var parsed)) status = parsed;
            else errors.Add("status", $"Must be one of {CaseVocabulary.Statuses}.");
        DateTimeOffset? Time(string name)
        {
            if (One(name) is not { } text) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && text.Contains('T')) return time;
            errors.Add(name, "Must be an ISO-8601 time with offset, e.g. 2020-02-01T00:00:00+08:00.");
            return null;
        }
        var (from, to) = (Time("from"), Time("to"));
        if (from > to) errors.Add("to", "Must not be before from.");
        var cell = One("cell");
        if (cell is not null && !province.HasCell(cell))
            errors.Add("cell", "Must be a grid cell id such as 330782-001-001.");
        else if (cell is not null && county is not null && Province.CountyOfCell(cell) != county)
            errors.Add("cell", $"Cell {cell} is not in county {county}.");
        var cluster = One("cluster");
        if (cluster is not null && Requests.Fields.Id(new FieldErrors(), "cluster", cluster) is null) errors.Add("cluster", "Must be a cluster id (1-64 of A-Z, a-z, 0-9, '.', '_', ':', '-').");
        bool? linked = One("linked") switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Invalid("linked", "Must be true or false."),
        };
        var limit = DefaultLimit;
        if (One("limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors.Add("limit", $"Must be a whole number from 1 to {MaxLimit}.");
        string? after = null;
        if (One("cursor") is { } cursor)
        {
            after = Key(cursor);
            if (after is null || (county is not null && !after.StartsWith(county + ":", StringComparison.Ordinal)))
                errors.Add("cursor", "Must be the nextCursor of a page of this list.");
        }
        return errors.Any ? null : new CaseListQuery(county, kind, status, from, to, cell, cluster, linked, after, limit);

        bool? Invalid(string field, string message)
        {
            errors.Add(field, message);
            return null;
        }
    }

    static string? Key(string cursor)
    {
        if (cursor.Length > 400) return null;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        try
        {
            if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written)) return null;
            var key = Encoding.UTF8.GetString(bytes, 0, written);
            // A key is "county:caseId": a county's six digits, then the case id.
            return key.Length > 7 && key[6] == ':' && key[..6].All(char.IsAsciiDigit) ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
