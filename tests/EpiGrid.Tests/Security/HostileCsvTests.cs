using System.Net;
using System.Text;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.Tests.People;
using EpiGrid.WebHost.Api;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Security;

/// <summary>The CSV reader on hostile files: every bad row costs one error line, never the upload or the memory.</summary>
public sealed class CsvRowsTests
{
    static async Task<List<CsvRows.Row>> Rows(string text)
    {
        var rows = new List<CsvRows.Row>();
        await foreach (var row in CsvRows.Read(new StringReader(text))) rows.Add(row);
        return rows;
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_lines_count_from_one()
    {
        var rows = await Rows("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\r\nlines\",z\n\nlast,row");
        rows.Select(r => r.Line).ShouldBe([1, 2, 3, 6]);
        rows[1].Fields.ShouldBe(["x, y", "say \"hi\""]);
        rows[2].Fields.ShouldBe(["two\nlines", "z"]);
        rows[3].Fields.ShouldBe(["last", "row"]);
        rows.ShouldAllBe(r => r.Error == null);
    }

    [Theory]
    [InlineData("a\"b,c", "A quote inside an unquoted field.")]
    [InlineData("\"ab\"c,d", "Text after the closing quote of a field.")]
    [InlineData("a,b\0c", "control character U+0000")]
    [InlineData("a,\u0007", "control character U+0007")]
    [InlineData("a,\uFFFD\uFFFD", "not UTF-8")]
    public async Task A_broken_row_is_reported_and_the_next_row_is_read(string broken, string error)
    {
        var rows = await Rows($"h1,h2\n{broken}\nok,row\n");
        rows.Count.ShouldBe(3);
        rows[1].Error.ShouldNotBeNull().ShouldContain(error);
        rows[1].Line.ShouldBe(2);
        rows[2].ShouldSatisfyAllConditions(r => r.Error.ShouldBeNull(), r => r.Fields.ShouldBe(["ok", "row"]), r => r.Line.ShouldBe(3));
    }

    [Fact]
    public async Task An_enormous_line_is_one_error_and_is_never_held_whole()
    {
        var rows = await Rows("h1,h2\n" + new string('x', 5_000_000) + "\nok,row\n");
        rows.Count.ShouldBe(3);
        rows[1].Error.ShouldNotBeNull().ShouldContain("longer than");
        rows[1].Fields.ShouldBeEmpty();
        rows[2].Fields.ShouldBe(["ok", "row"]);
    }

    [Fact]
    public async Task An_unclosed_quote_swallows_one_row_at_most_not_the_rest_of_the_file()
    {
        var good = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"r{i},v{i}\n"));
        var rows = await Rows("h1,h2\n\"never closed," + good);
        rows.Count(r => r.Error is not null).ShouldBe(1);
        rows.Count(r => r.Error is null).ShouldBeGreaterThan(20_000 - CsvRows.MaxRowChars / 8);
        rows.Last().Fields.ShouldBe(["r19999", "v19999"]);
    }

    [Fact]
    public async Task A_quote_left_open_at_the_end_of_the_file_is_reported()
    {
        var rows = await Rows("h1,h2\n\"open,x");
        rows[1].Error.ShouldBe("A quoted field is not closed.");
    }

    [Fact]
    public void A_header_naming_a_column_twice_is_refused()
    {
        CsvRows.Columns(new CsvRows.Row(1, ["a", "b", "a"], null), out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain("'a' appears twice");
        CsvRows.Columns(new CsvRows.Row(1, ["\uFEFFa", " b "], null), out _)!.Keys.ShouldBe(["a", "b"]);
    }
}

/// <summary>The arrivals import fed hostile files: 200 with each bad row named, or 4xx for an unusable file, and nothing stored.</summary>
public sealed class HostileCsvImportTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    const string Cell = "330106-003-001";
    const string Header = "idNumber,name,phone,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId\n";

    static string Row(int n, string name = "张三", string area = "湖北 Hubei") =>
        $"{ResidentIdTests.Make(420106, new DateOnly(1985, 3, 4), n)},{name},,{area},high,{EpiGridApp.Start.AddHours(-3):O},rail,hostile,hr-{n},{Cell}\n";

    async Task<HttpResponseMessage> Upload(byte[] body, string contentType = "text/csv")
    {
        using var ingest = app.As(Roles.Ingest);
        return await ingest.PostAsync("/api/v1/imports/arrivals", new ByteArrayContent(body) { Headers = { ContentType = new(contentType) } });
    }

    async Task<long> Arrivals() => await app.Database.Scalar<long>(
        "select case when to_regclass('epigrid.mt_events') is null then 0 else (select count(*) from epigrid.mt_events where type = 'arrival_reported') end");

    [Fact]
    public async Task Broken_quoting_foreign_encodings_nul_bytes_and_enormous_lines_are_reported_row_by_row_and_nothing_is_stored()
    {
        await app.RegisterCell(Cell);
        var before = await Arrivals();
        var gbkName = new byte[] { 0xD5, 0xC5, 0xC8, 0xFD }; // 张三 in GBK
        byte[] file =
        [
            .. Encoding.UTF8.GetBytes(Header),
            .. Encoding.UTF8.GetBytes(Row(1, name: "\"unclosed")).Where(b => b != (byte)'\n'), (byte)'\n', // swallows the next line break only
            .. Encoding.UTF8.GetBytes(Row(2, name: "a\"b")),
            .. Encoding.UTF8.GetBytes(Row(3).Split("张三")[0]), .. gbkName, .. Encoding.UTF8.GetBytes(Row(3).Split("张三")[1]),
            .. Encoding.UTF8.GetBytes(Row(4, name: "nul\0byte")),
            .. Encoding.UTF8.GetBytes(Row(5, area: new string('湖', 100_000))),
            .. Encoding.Unicode.GetBytes(Row(6)),
        ];

        var response = await Upload(file);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = await response.Body();
        result["imported"]!.GetValue<int>().ShouldBe(0, result.ToJsonString());
        var errors = result["errors"]!.AsArray().Select(e => (Line: e!["line"]!.GetValue<int>(), Field: e["field"]!.GetValue<string>(), Reason: e["reason"]!.GetValue<string>())).ToList();
        errors.Count.ShouldBeGreaterThanOrEqualTo(5, result.ToJsonString());
        errors.ShouldAllBe(e => e.Field == "row", result.ToJsonString());
        (await Arrivals()).ShouldBe(before);
    }

    [Theory]
    [InlineData("UTF-16 without a byte order mark")]
    [InlineData("NUL bytes in the header")]
    [InlineData("GB18030 header")]
    [InlineData("a column twice")]
    public async Task A_file_whose_header_cannot_be_read_is_refused_whole(string what)
    {
        var body = what switch
        {
            "UTF-16 without a byte order mark" => Encoding.Unicode.GetBytes(Header + Row(10)),
            "NUL bytes in the header" => Encoding.UTF8.GetBytes(Header.Replace(",", ",\0") + Row(11)),
            "GB18030 header" => [0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4, 0x2C, .. Encoding.UTF8.GetBytes(Header), .. Encoding.UTF8.GetBytes(Row(12))],
            _ => Encoding.UTF8.GetBytes(Header.TrimEnd('\n') + ",cellId\n" + Row(13)),
        };
        var before = await Arrivals();

        var response = await Upload(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, what);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Body())["errors"]!.AsObject().ContainsKey("header").ShouldBeTrue();
        (await Arrivals()).ShouldBe(before);
    }

    [Fact]
    public async Task A_utf16_file_with_a_byte_order_mark_and_a_utf8_bom_file_are_read_as_text()
    {
        await app.RegisterCell(Cell);
        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Header + Row(20))];
        byte[] utf8 = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Header + Row(21))];
        foreach (var file in new[] { utf16, utf8 })
        {
            var response = await Upload(file);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            (await response.Body())["imported"]!.GetValue<int>().ShouldBe(1);
        }
    }
}
