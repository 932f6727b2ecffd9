using System.Text.Json.Nodes;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EpiGrid.Tests.Alerts;

/// <summary>Real sockets and tight limits for people's tokens: a burst of 5, one more a second.</summary>
public sealed class TightHubApp : PushApp
{
    public override IDictionary<string, string?> WebSettings => new Dictionary<string, string?>
    {
        ["RateLimits:Human:Burst"] = "5",
        ["RateLimits:Human:PerSecond"] = "1",
    };
}

/// <summary>Hub methods are rate limited per token like HTTP requests, and catchUp stays within one bounded page.</summary>
public sealed class HubRateLimitTests(TightHubApp app) : IClassFixture<TightHubApp>
{
    [Fact]
    public async Task Hub_calls_over_the_tokens_limit_are_refused_with_a_hub_exception_and_the_connection_survives()
    {
        const string cell = "330782-402-001";
        await app.RegisterCell(cell);
        await using var worker = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.GridWorker, cells: cell));
        var (answered, refused) = (0, new List<string>());

        for (var i = 0; i < 15; i++)
        {
            try
            {
                await worker.Connection.InvokeAsync<JsonArray>("catchUp", 0L);
                answered++;
            }
            catch (HubException e) { refused.Add(e.Message); }
        }

        answered.ShouldBeLessThanOrEqualTo(7, "a burst of 5 and at most a refill or two while the calls ran");
        refused.Count.ShouldBeGreaterThanOrEqualTo(8);
        refused.ShouldAllBe(m => m.Contains("Too many hub calls") && m.Contains("RateLimits"));
        worker.Connection.State.ShouldBe(HubConnectionState.Connected);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        (await worker.Connection.InvokeAsync<JsonArray>("catchUp", 0L)).ShouldNotBeNull("the bucket refills: the caller is slowed, not cut off");
    }

    [Fact]
    public async Task CatchUp_refuses_a_negative_seq_and_answers_nothing_past_the_end()
    {
        await using var official = await DotNetAlertClient.Connect(app.BaseAddress, app.Token(Roles.CountyOfficial, county: "330782"));

        foreach (var seq in new[] { -1L, long.MinValue })
        {
            var refusal = await Should.ThrowAsync<HubException>(() => official.Connection.InvokeAsync<JsonArray>("catchUp", seq));
            refusal.Message.ShouldContain("sinceSeq");
        }
        (await official.Connection.InvokeAsync<JsonArray>("catchUp", long.MaxValue)).ShouldBeEmpty();
        official.Connection.State.ShouldBe(HubConnectionState.Connected);
    }
}
