using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EpiGrid.Tests.Alerts;
using EpiGrid.WebHost.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EpiGrid.Tests.Security;

/// <summary>
/// Issue 10's authorization matrix: every endpoint and hub method of the running web host × every role and
/// anonymous (and a token with no known role) × inside/outside the caller's jurisdiction, against the rules of
/// <see cref="MatrixRules"/>, over real HTTP and a real SignalR client. An endpoint without a rule fails, and so
/// does a rule for an endpoint that is gone; docs/authorization.md must show the same table.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixWorld world, ITestOutputHelper output) : IClassFixture<MatrixWorld>
{
    /// <summary>Rules for files of wwwroot, which <see cref="MatrixEndpoints"/> leaves out of the served endpoints.</summary>
    static readonly string[] StaticFiles = ["GET /app.css"];
    const string DocPath = "docs/authorization.md", TableStart = "<!-- matrix:start -->", TableEnd = "<!-- matrix:end -->";

    static IEnumerable<Rule> AllRules => MatrixRules.Http.Select(e => e.Rule).Concat(MatrixRules.Hub.Select(e => e.Rule));

    [Fact]
    public void The_columns_are_every_role_then_anonymous_and_every_rule_is_named_once()
    {
        Rule.Columns.ShouldBe([.. Roles.All, Caller.AnonymousName]);
        AllRules.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("rules named twice");
    }

    [Fact]
    public void Every_endpoint_and_hub_method_has_a_rule_and_every_rule_an_endpoint()
    {
        var served = MatrixEndpoints.Http(world.WebServices);
        served.Where(e => RuleOf(e) is null).ShouldBeEmpty("endpoints without a rule in MatrixRules.Http");
        MatrixRules.Http.Where(e => !StaticFiles.Contains(e.Rule.Key) && !served.Any(e.Covers)).Select(e => e.Rule.Key)
            .ShouldBeEmpty("rules for endpoints the web host no longer serves");

        var webRoot = world.WebServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        foreach (var file in StaticFiles)
            webRoot.GetFileInfo(file["GET /".Length..]).Exists.ShouldBeTrue($"{file}: no such file in wwwroot");

        var methods = MatrixEndpoints.Hubs(world.WebServices).SelectMany(h => h.Methods.Select(m => MatrixEndpoints.Key(h.Hub, m))).ToHashSet();
        var hubRules = MatrixRules.Hub.Select(e => e.Rule.Key).ToHashSet();
        methods.Except(hubRules).Order().ShouldBeEmpty("hub methods without a rule in MatrixRules.Hub");
        hubRules.Except(methods).Order().ShouldBeEmpty("rules for hub methods that no longer exist");
        methods.ShouldContain("GridHub.Ack");
    }

    [Fact]
    public async Task Every_caller_gets_the_answer_the_rules_give_from_every_endpoint()
    {
        await world.Ready;
        var calls = (from target in Targets() from caller in Caller.All from scope in Enum.GetValues<Scope>() select (target, caller, scope)).ToList();
        var failures = new ConcurrentBag<string>();
        var outsideSeen = new ConcurrentDictionary<string, bool>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (call, _) =>
        {
            var ((key, entry, httpCall), caller, scope) = call;
            var name = $"{key} as {caller} ({scope.ToString().ToLowerInvariant()})";
            var expected = entry.Rule.For(caller, scope);
            Outcome outcome;
            try { outcome = await httpCall(world, caller, scope); }
            catch (Exception e) { failures.Add($"{name}: expected {Expected.Text(expected)}, threw {e.GetType().Name}: {e.Message}"); return; }
            if (outcome.Answer != expected)
                failures.Add($"{name}: expected {Expected.Text(expected)}, got {outcome.Status} {Trim(outcome.Body)}");
            else if (entry.Confined && outcome.Answer == Answer.Ok && IsBound(caller) && outcome.Body.Contains(MatrixWorld.OutCell))
                failures.Add($"{name}: the answer names {MatrixWorld.OutCell}, outside the caller's jurisdiction");
            else if (entry.Confined && outcome.Answer == Answer.Ok && outcome.Body.Contains(MatrixWorld.OutCell))
                outsideSeen[key] = true;
            else if (outcome.Status is 401 or 403 or 404 && key.Contains("/api/") && outcome.ContentType != "application/problem+json")
                failures.Add($"{name}: {outcome.Status} answered as {outcome.ContentType ?? "no content"}, not problem+json");
        });

        output.WriteLine($"{calls.Count} calls ({calls.Count / Caller.All.Count / 2} endpoints × {Caller.All.Count} callers × inside/outside) in {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(Rule.Markdown(MatrixRules.Http.Select(e => e.Rule)));
        failures.Order().ShouldBeEmpty();
        // The confinement check means something only if the outside cell shows up for those who may see it.
        MatrixRules.Http.Where(e => e.Confined).Select(e => e.Rule.Key).Where(k => !outsideSeen.ContainsKey(k))
            .ShouldBeEmpty("confined rules whose answers never named the outside cell, even to the province's roles");
    }

    [Fact]
    public async Task Every_caller_gets_the_answer_the_rules_give_from_every_hub_method()
    {
        await world.Ready;
        var hubs = MatrixEndpoints.Hubs(world.WebServices);
        var failures = new List<string>();
        foreach (var entry in MatrixRules.Hub)
        {
            var (hub, path, methods) = hubs.Single(h => h.Methods.Any(m => MatrixEndpoints.Key(h.Hub, m) == entry.Rule.Key));
            var method = methods.Single(m => MatrixEndpoints.Key(hub, m) == entry.Rule.Key);
            foreach (var caller in Caller.All)
                foreach (var scope in Enum.GetValues<Scope>())
                {
                    var expected = entry.Rule.For(caller, scope);
                    var (answer, result) = await Invoke(caller, path, method.Name, entry.Arguments(world, caller, scope));
                    if (answer != expected)
                        failures.Add($"{Name(entry.Rule, caller, scope)}: expected {Expected.Text(expected)}, got {Expected.Text(answer)} {Trim(result)}");
                    else if (entry.Confined && answer == Answer.Ok && IsBound(caller) && result.Contains(MatrixWorld.OutCell))
                        failures.Add($"{Name(entry.Rule, caller, scope)}: the answer names {MatrixWorld.OutCell}, outside the caller's jurisdiction");
                }
        }
        output.WriteLine(Rule.Markdown(MatrixRules.Hub.Select(e => e.Rule)));
        failures.ShouldBeEmpty();
    }

    async Task<(Answer, string)> Invoke(Caller caller, string path, string method, object?[] arguments)
    {
        var (connection, refusal) = await world.Hub(caller, path);
        if (connection is null) return (refusal, "(connection refused)");
        try
        {
            var result = await connection.InvokeCoreAsync(method, typeof(JsonElement?), arguments);
            return (Answer.Ok, result?.ToString() ?? "");
        }
        // The server's own refusals arrive as "...HubException: <reason>"; anything else it threw is a generic failure.
        catch (HubException e) when (e.Message.Contains("HubException: No ", StringComparison.Ordinal)) { return (Answer.NotFound, e.Message); }
        catch (HubException e) when (e.Message.Contains("HubException: ", StringComparison.Ordinal)) { return (Answer.Forbidden, e.Message); }
        catch (Exception e) { return (Answer.Other, $"{e.GetType().Name}: {e.Message}"); }
    }

    [Fact]
    public void Docs_authorization_md_shows_the_matrix_the_rules_give()
    {
        var path = Path.Combine(Repository.Root, DocPath);
        var table = Rule.Markdown(AllRules);
        var doc = File.ReadAllText(path);
        var (start, end) = (doc.IndexOf(TableStart, StringComparison.Ordinal), doc.IndexOf(TableEnd, StringComparison.Ordinal));
        (start >= 0 && end > start).ShouldBeTrue($"{DocPath} must hold the table between {TableStart} and {TableEnd}");
        var shown = doc[(start + TableStart.Length)..end].Trim('\n');
        if (shown != table.Trim('\n') && Environment.GetEnvironmentVariable("EPIGRID_WRITE_DOCS") == "1")
            File.WriteAllText(path, doc[..(start + TableStart.Length)] + "\n" + table + doc[end..]);
        else
            shown.ShouldBe(table.Trim('\n'), $"{DocPath} is stale: paste this table between the markers (or run once with EPIGRID_WRITE_DOCS=1)");
    }

    /// <summary>What the matrix calls: every exact rule once, a wildcard rule once for each served endpoint it covers.</summary>
    IEnumerable<(string Key, HttpEntry Entry, HttpCall Call)> Targets()
    {
        var served = MatrixEndpoints.Http(world.WebServices);
        foreach (var entry in MatrixRules.Http)
            if (!entry.IsWildcard) yield return (entry.Rule.Key, entry, entry.Call);
            else
                foreach (var key in served.Where(k => ReferenceEquals(RuleOf(k), entry)))
                    yield return (key, entry, entry.PerEndpoint!(key[(key.IndexOf(' ') + 1)..]));
    }

    /// <summary>The rule for a served endpoint: its own, else the wildcard covering it.</summary>
    static HttpEntry? RuleOf(string served) =>
        MatrixRules.Http.FirstOrDefault(e => !e.IsWildcard && !e.IsVariant && e.Covers(served)) ?? MatrixRules.Http.FirstOrDefault(e => e.IsWildcard && e.Covers(served));

    static bool IsBound(Caller caller) => caller.Role is Roles.GridWorker or Roles.CountyOfficial;

    static string Name(Rule rule, Caller caller, Scope scope) => $"{rule.Key} as {caller} ({scope.ToString().ToLowerInvariant()})";

    static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
