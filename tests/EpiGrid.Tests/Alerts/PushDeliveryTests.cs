using System.Net;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Alerts;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;

namespace EpiGrid.Tests.Alerts;

/// <summary>The platform with the Redis backplane, whose web host's SignalR sends can be made slow.</summary>
public sealed class SlowWebHostApp : PushApp
{
    public SlowSwitch Slow { get; } = new();

    protected override void ConfigureWebServices(IServiceCollection services) =>
        services.AddSingleton<HubLifetimeManager<GridHub>>(sp =>
            new SlowBackplane<GridHub>(ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<GridHub>>(sp), Slow));
}

/// <summary>Issue 14: a web host slower than the push hub's timeout was dropped, and pushes meanwhile were discarded.</summary>
public sealed class PushDeliveryTests(SlowWebHostApp app) : IClassFixture<SlowWebHostApp>
{
    [Fact]
    public async Task A_web_host_slower_than_the_push_timeout_still_gets_every_alert_to_its_clients_exactly_once()
    {
        const string cell = "330783-301-001";
        await app.RegisterCell(cell);
        // A bare SignalR connection, which never catches up: every alert it gets, the server pushed.
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        using var ingest = app.As(Roles.Ingest);
        var at = EpiGridApp.Start.AddHours(-1);

        app.Slow.Delay = TimeSpan.FromSeconds(8); // longer than the push hub's 5 s
        (await app.ReportCase(ingest, cell, "slow-1", occurredAt: at)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(6)); // the first push has now outlived the timeout
        (await app.ReportCase(ingest, cell, "slow-2", occurredAt: at)).StatusCode.ShouldBe(HttpStatusCode.Created);
        app.Slow.Delay = TimeSpan.Zero;
        (await app.ReportCase(ingest, cell, "slow-3", occurredAt: at)).StatusCode.ShouldBe(HttpStatusCode.Created);

        string[] expected = ["slow-1", "slow-2", "slow-3"];
        bool Has(string caseId) => worker.Alerts.Any(r => r.Id == $"case:{cell}:{caseId}");
        await Eventually.True(() => Task.FromResult(expected.All(Has)), TimeSpan.FromSeconds(15),
            $"every alert reaches the client; got {string.Join(", ", worker.Alerts.Select(r => r.Id))}");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a push sent again must not show twice
        foreach (var caseId in expected)
            worker.Alerts.Count(r => r.Id == $"case:{cell}:{caseId}").ShouldBe(1, $"{caseId} once");
    }
}
