using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EpiGrid.Silo.Observability;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;
using Microsoft.Extensions.Time.Testing;

namespace EpiGrid.Tests.Observability;

/// <summary>
/// The Orleans dashboard's counters are collected every <c>Observability:DashboardCountersInterval</c> (10 s), not
/// every second as the package does: each collection walks every activation of the silo (DashboardCounters). Its
/// counters page still fills.
/// </summary>
public sealed class DashboardCountersTests(EpiGridApp app) : IClassFixture<EpiGridApp>
{
    [Fact]
    public void The_dashboard_collects_its_counters_every_ten_seconds_not_every_second() =>
        DashboardCounters.CollectionInterval(app.Silo.Services).ShouldBe(10_000);

    [Fact]
    public async Task The_dashboards_counters_page_still_gets_the_silos_counters()
    {
        using var admin = app.As(Roles.Admin);
        var silo = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/cluster"))!["silos"]![0]!["address"]!.GetValue<string>();

        // The first collection comes one interval after the silo's start.
        await Eventually.True(async () =>
        {
            var counters = await admin.GetFromJsonAsync<JsonArray>($"/dashboard/SiloCounters/{Uri.EscapeDataString(silo)}");
            return counters is { Count: > 0 } && counters.Any(c => c!["name"]!.GetValue<string>().StartsWith("orleans", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(40), "the silo's Orleans counters reach the dashboard");
    }

    [Fact]
    public async Task An_interval_of_zero_gives_the_host_its_no_periodic_collection_and_the_silo_still_starts()
    {
        await using var db = await TestDatabase.Create();
        await using var silo = await TestSilo.Start(db.ConnectionString, new FakeTimeProvider(EpiGridApp.Start),
            "dash-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?> { ["Observability:DashboardCountersInterval"] = "00:00:00" });

        DashboardCounters.CollectionInterval(silo.Services).ShouldBe(Timeout.Infinite);
        (await silo.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count.ShouldBe(1, "the silo started, its reader set to collect only when flushed");
    }
}
