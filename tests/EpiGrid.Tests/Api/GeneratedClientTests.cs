using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EpiGrid.Tests.Alerts;
using EpiGrid.Tests.Infrastructure;
using EpiGrid.WebHost.Auth;

namespace EpiGrid.Tests.Api;

/// <summary>The platform on a real loopback port: the generated client runs in its own process.</summary>
public sealed class PartnerApp : EpiGridApp
{
    public override bool RealServer => true;
}

/// <summary>
/// What a partner system does with the API description: generate a client with Kiota (the version kept in
/// .config/dotnet-tools.json), build it and call the API through it. The generated code lives in a temporary folder
/// outside the repository and is never kept.
/// </summary>
public sealed class GeneratedClientTests(PartnerApp app) : IClassFixture<PartnerApp>
{
    const string County = "330102", Cell = "330102-001-001", Missing = "339999";
    const string KiotaPackagesVersion = "2.1.6";
    static readonly string[] KiotaPackages =
    [
        "Microsoft.Kiota.Abstractions", "Microsoft.Kiota.Http.HttpClientLibrary", "Microsoft.Kiota.Serialization.Json",
        "Microsoft.Kiota.Serialization.Text", "Microsoft.Kiota.Serialization.Form", "Microsoft.Kiota.Serialization.Multipart",
    ];

    [Fact]
    public async Task A_client_generated_by_Kiota_from_the_document_builds_and_calls_the_api()
    {
        await app.RegisterCell(Cell);
        var work = Directory.CreateTempSubdirectory("epigrid-kiota-");
        try
        {
            using var anonymous = app.Anonymous();
            var document = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await anonymous.GetStringAsync("/openapi/v1.json"));

            // From the repository root, so the tool manifest is found.
            await Run("dotnet", ["tool", "restore"], Repository.Root, TimeSpan.FromMinutes(2));
            await Run("dotnet", ["kiota", "generate", "-l", "CSharp", "-d", document, "-o", Path.Combine(work.FullName, "Client"),
                "-c", "EpiGridClient", "-n", "EpiGrid.Partner"], Repository.Root, TimeSpan.FromMinutes(2));
            WriteProject(work.FullName);
            await Run("dotnet", ["build", "Partner.csproj", "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly",
                "-nodeReuse:false", "-p:UseSharedCompilation=false"], work.FullName, TimeSpan.FromMinutes(3));

            var token = app.Token(Roles.CountyOfficial, County);
            var occurredAt = app.Clock.GetUtcNow().AddHours(-1).ToString("O");
            var output = await Run("dotnet", [Path.Combine(work.FullName, "bin", "Release", "net10.0", "Partner.dll"),
                app.BaseAddress.ToString().TrimEnd('/'), token, County, Cell, Missing, occurredAt], work.FullName, TimeSpan.FromMinutes(1));
            var printed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

            using var official = app.As(Roles.CountyOfficial, County);
            var counties = (await official.GetFromJsonAsync<JsonArray>("/api/v1/counties"))!;
            var county = (await official.GetFromJsonAsync<JsonObject>($"/api/v1/counties/{County}"))!;
            printed.GetValueOrDefault("counties").ShouldBe(counties.Count.ToString(), output);
            printed.GetValueOrDefault("county").ShouldBe($"{County} {county["nameEn"]} {county["population"]}", output);
            printed.GetValueOrDefault("case").ShouldBe("partner-1 created", output);
            var again = await app.ReportCase(official, Cell, "partner-1", occurredAt: DateTimeOffset.Parse(occurredAt));
            again.StatusCode.ShouldBe(HttpStatusCode.OK, "the case the generated client reported is on record");
            (await again.Body())["duplicate"]!.GetValue<bool>().ShouldBeTrue();

            var missing = await official.GetAsync($"/api/v1/counties/{Missing}");
            var missingProblem = await missing.Body();
            printed.GetValueOrDefault("missing").ShouldBe($"{(int)missing.StatusCode} {missingProblem["detail"]}", output);
            missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var invalid = await official.PostAsJsonAsync($"/api/v1/cells/{Cell}/cases", new { caseId = "partner-2", kind = "no-such-kind" });
            var invalidFields = string.Join(",", (await invalid.Body())["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
            printed.GetValueOrDefault("invalid").ShouldBe($"{(int)invalid.StatusCode} {invalidFields}", output);
            invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    static void WriteProject(string folder)
    {
        // Guards: nothing of the repository's build (central package versions, analyzers, warnings as errors) applies here.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
        var packages = string.Concat(KiotaPackages.Select(p => $"""<PackageReference Include="{p}" Version="{KiotaPackagesVersion}" />"""));
        File.WriteAllText(Path.Combine(folder, "Partner.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>{packages}</ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), PartnerProgram);
    }

    /// <summary>A partner's program: lists counties, reads one, reports a case, and meets two refusals as typed problems.</summary>
    const string PartnerProgram = """
        using EpiGrid.Partner;
        using EpiGrid.Partner.Models;
        using Microsoft.Kiota.Abstractions.Authentication;
        using Microsoft.Kiota.Http.HttpClientLibrary;

        var (baseUrl, token, code, cell, missing, occurredAt) = (args[0], args[1], args[2], args[3], args[4], args[5]);
        var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new StaticToken(token))) { BaseUrl = baseUrl };
        var client = new EpiGridClient(adapter);

        var counties = await client.Api.V1.Counties.GetAsync();
        Console.WriteLine($"counties={counties!.Count}");
        var county = await client.Api.V1.Counties[code].GetAsync();
        Console.WriteLine($"county={county!.Code} {county.NameEn} {county.Population}");
        var accepted = await client.Api.V1.Cells[cell].Cases.PostAsync(new ReportCaseRequest
        {
            CaseId = "partner-1", Kind = "confirmed", Local = true, OccurredAt = occurredAt,
        });
        Console.WriteLine($"case={accepted!.CaseId} {(accepted.Duplicate == true ? "duplicate" : "created")}");
        try
        {
            await client.Api.V1.Counties[missing].GetAsync();
            Console.WriteLine("missing=found");
        }
        catch (ProblemDetails problem)
        {
            Console.WriteLine($"missing={problem.Status} {problem.Detail}");
        }
        try
        {
            await client.Api.V1.Cells[cell].Cases.PostAsync(new ReportCaseRequest { CaseId = "partner-2", Kind = "no-such-kind" });
            Console.WriteLine("invalid=accepted");
        }
        catch (HttpValidationProblemDetails problem)
        {
            Console.WriteLine($"invalid={problem.Status} {string.Join(",", problem.Errors!.AdditionalData.Keys.Order(StringComparer.Ordinal))}");
        }

        sealed class StaticToken(string token) : IAccessTokenProvider
        {
            public AllowedHostsValidator AllowedHostsValidator { get; } = new();
            public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? context = null, CancellationToken cancellationToken = default) =>
                Task.FromResult(token);
        }
        """;

    /// <summary>Runs a command to its end; its output is the failure message when it fails or takes too long.</summary>
    static async Task<string> Run(string file, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} took over {timeout}:\n{output}");
        }
        process.WaitForExit(); // the output is read to its end
        lock (output)
        {
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
            return output.ToString();
        }
    }
}
