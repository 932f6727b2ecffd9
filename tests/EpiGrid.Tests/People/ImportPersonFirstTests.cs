using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.People;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.People;

/// <summary>
/// The bulk import records the person before the cell lists the traveller, as the single path does: a person whose
/// commit failed leaves no traveller in the cell (an orphan no one could check in, code or release), and repeating the
/// file completes what was missing.
/// </summary>
public sealed class ImportPersonFirstTests(StoreBlipApp app) : IClassFixture<StoreBlipApp>
{
    const string Cell = "330108-004-001";

    static string Csv(int from, int to) => "idNumber,originArea,originRisk,arrivedAt,mode,source,sourceRecordId,cellId\n" + string.Concat(
        Enumerable.Range(from, to - from + 1).Select(n =>
            $"{ResidentIdTests.Make(420106, new DateOnly(1988, 5, 6), n)},武汉 Wuhan,high,{EpiGridApp.Start.AddHours(-3):O},rail,rail,first-{n},{Cell}\n"));

    async Task<JsonObject> Import(HttpClient ingest, string csv)
    {
        var response = await ingest.PostAsync("/api/v1/imports/arrivals", new StringContent(csv, Encoding.UTF8, "text/csv"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    Task<long> Count(string type, string streamPrefix) => app.Database.Scalar<long>(
        "select count(*) from epigrid.mt_events where type = @type and stream_id like @prefix", ("type", type), ("prefix", streamPrefix + "%"));

    [Fact]
    public async Task A_person_the_store_refused_leaves_no_traveller_in_the_cell_and_repeating_the_file_completes_both()
    {
        await app.RegisterCell(Cell);
        using var ingest = app.As(Roles.Ingest);
        var csv = Csv(1, 4);
        // The store refuses the persons of rows 2 and 4 (as it would during a blip); the rest of the file goes through.
        app.Blip.Fail(w => w.StreamKey.StartsWith("person:", StringComparison.Ordinal)
                           && w.Events.OfType<ArrivalReported>().Any(a => a.From.RecordId is "first-2" or "first-4"));
        JsonObject first;
        try
        {
            first = await Import(ingest, csv);
        }
        finally
        {
            app.Blip.End();
        }

        first.Int("imported").ShouldBe(2, first.ToJsonString());
        first["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<int>()).ShouldBe([3, 5]);
        (await Count("arrival_reported", "person:")).ShouldBe(2);
        (await Count("traveller_arrived", "cell:" + Cell)).ShouldBe(2, "the cell lists only travellers whose person was recorded");

        var again = await Import(ingest, csv);
        again.Int("imported").ShouldBe(2, again.ToJsonString());
        again.Int("duplicates").ShouldBe(2);
        (await Count("arrival_reported", "person:")).ShouldBe(4);
        (await Count("traveller_arrived", "cell:" + Cell)).ShouldBe(4, "each person once in the cell");
    }
}
