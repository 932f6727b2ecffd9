using System.Net;
using EpiGrid.Platform;
using EpiGrid.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Resumption;

/// <summary>The resumption platform with a store blip in front of the silo's event log.</summary>
public sealed class ResumptionBlipApp : ResumptionApp
{
    public StoreBlip Blip { get; } = new();
    protected override void DecorateSilo(IServiceCollection services) => Blip.Install(services);
}

/// <summary>
/// A lag alert derives from no single stored event, so the alert sweep cannot find one that was lost: the province's
/// lag check must keep trying until the ledger confirms it committed, and a new activation must check again what the
/// one that died with its silo had not seen committed.
/// </summary>
public sealed class ResumptionLagRecoveryTests(ResumptionBlipApp app) : IClassFixture<ResumptionBlipApp>
{
    const string AlertId = "resumption-lag:330523:2020-02-19";

    [Fact]
    public async Task A_lag_alert_the_store_refused_is_raised_once_the_store_is_back_even_after_the_silo_restarted()
    {
        await app.RegisterEnterprise("rc-full", "330522");
        await app.RegisterEnterprise("rc-slow", "330523");
        using var ingest = app.As("ingest");
        using var official = app.As("county-official", "330523");
        app.Blip.Fail(w => w.StreamKey == StreamKeys.Alert(AlertId) && w.ExpectedVersion == 0);
        try
        {
            var csv = "enterpriseId,day,kwh\n" + string.Join("", new[] { "17", "18", "19" }
                .Select(d => $"rc-full,2020-02-{d},100\nrc-slow,2020-02-{d},40\n"));
            await app.Upload(ingest, ResumptionApp.Csv(csv));

            // The check runs every second: it must try again after the store refused the alert.
            await Eventually.True(() => Task.FromResult(app.Blip.Refused >= 2), TimeSpan.FromSeconds(20),
                "the lag check tried again after the store refused its alert");
            // And the province grain's silo goes down with the days it held as unsettled.
            await app.RestartSilo();
        }
        finally
        {
            app.Blip.End();
        }

        // An official opening the resumption map wakes the province grain (in production its reminder does too).
        (await official.GetAsync("/api/v1/province/resumption")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.True(async () => (await official.GetAsync($"/api/v1/alerts/{AlertId}")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20), "the lag alert was raised once the store took it");
        (await app.Database.Scalar<long>("select count(*) from epigrid.mt_events where type = 'alert_raised' and stream_id = @s",
            ("s", StreamKeys.Alert(AlertId)))).ShouldBe(1);
        (await official.GetAsync("/api/v1/alerts/resumption-lag:330523:2020-02-18")).StatusCode.ShouldBe(HttpStatusCode.NotFound,
            "checking every day again raises no alert the rule does not give");
    }
}
