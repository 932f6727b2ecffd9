using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Api;
using EpiGrid.WebHost.Auth;
using EpiGrid.WebHost.Http;
using FsCheck;
using FsCheck.Xunit;

namespace EpiGrid.Tests.Security;

/// <summary>Formulas sent in through the API reach a CSV export as text (OWASP CSV injection).</summary>
public sealed class CsvInjectionTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Formula = "=cmd|' /C calc'!A0";
    static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    static async Task<List<string[]>> Parse(string csv)
    {
        var rows = new List<string[]>();
        await foreach (var row in CsvRows.Read(new StringReader(csv)))
        {
            row.Error.ShouldBeNull($"line {row.Line}");
            rows.Add(row.Fields);
        }
        return rows;
    }

    [Fact]
    public async Task A_formula_as_subject_source_or_name_is_quoted_and_prefixed_in_the_audit_export()
    {
        const string cell = "330783-001-001";
        using var mallory = app.Anonymous();
        mallory.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new TokenIssuer(new AuthOptions { SigningKey = app.SigningKey }).Issue(Formula, Roles.Admin).Token);
        (await mallory.PutAsJsonAsync($"/api/v1/cells/{cell}", new { name = "+SUM(1,2)", households = 10 })).IsSuccessStatusCode.ShouldBeTrue();
        mallory.DefaultRequestHeaders.Add("X-Source-System", "-cmd");
        (await app.ReportCase(mallory, cell, "csv-1")).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var auditor = app.As(Roles.Auditor);
        var query = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/events?county=330783");
        query.Headers.TryAddWithoutValidation("X-Source-System", "@SUM(1+1)*" + Formula).ShouldBeTrue();
        (await auditor.SendAsync(query)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var export = await auditor.GetAsync("/api/v1/audit/export?format=csv");
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await export.Content.ReadAsStringAsync();
        var rows = await Parse(text);

        rows[0].ShouldBe(["seq", "stream", "version", "kind", "occurredAt", "recordedAt", "actor", "source", "storedAt", "data"]);
        rows.Count.ShouldBe(int.Parse(export.Headers.GetValues("X-Event-Count").Single()) + 1);
        foreach (var field in rows.SelectMany(r => r))
            (field.Length > 0 && FormulaStarts.Contains(field[0])).ShouldBeFalse($"a cell starts a formula: {field}");
        rows.ShouldContain(r => r[6] == "'" + Formula && r[1] == "cell:" + cell, "the subject, as text");
        rows.ShouldContain(r => r[7] == "'-cmd" && r[3] == "case_reported", "the source system, as text");
        rows.ShouldContain(r => r[7] == "'@SUM(1+1)*" + Formula && r[3] == "audit_queried", "the audit query's source, as text");
        rows.ShouldContain(r => r[9].Contains("SUM(1,2)") && r[3] == "cell_registered", "a name inside the event's JSON");
        text.Split('\n').ShouldNotContain(line => line.Length > 0 && FormulaStarts.Contains(line[0]));
        text.ShouldNotContain("," + Formula);
    }

    [Property(MaxTest = 2000)]
    public bool Every_cell_reads_back_as_written_or_prefixed_when_it_starts_a_formula(NonNull<string> generated)
    {
        var value = generated.Get.Replace("\r", "");   // a line reader folds CR LF; CR itself is covered below
        var parsed = CsvRows.Read(new StringReader(CsvCells.Line([value, "x"]))).ToBlockingEnumerable().Single().Fields;
        var formula = value.Length > 0 && FormulaStarts.Contains(value[0]);
        return parsed.Length == 2 && parsed[0] == (formula ? "'" + value : value) && parsed[1] == "x";
    }

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@A1", "\"'@A1\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=\"a\",b", "\"'=\"\"a\"\",b\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("330782-001-001", "330782-001-001")]
    [InlineData("", "")]
    public void Cells_are_escaped_as_owasp_recommends(string value, string written) => CsvCells.Escape(value).ShouldBe(written);
}
