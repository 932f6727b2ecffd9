using System.CommandLine;
using System.Net.Http.Headers;

namespace EpiGrid.Cli;

/// <summary>The options every command shares (where the API is, and the token to call it with) and the client they make.</summary>
public static class Api
{
    public const string TokenVariable = "EPIGRID_TOKEN";

    public static readonly Option<string> Url = new("--url")
    {
        Description = "The EpiGrid web host.",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"A bearer token (auditor, province-official, admin, or county-official for one county); default: ${TokenVariable}.",
    };

    public static void AddTo(Command command)
    {
        command.Add(Url);
        command.Add(Token);
    }

    public static string? TokenOf(ParseResult parsed) =>
        parsed.GetValue(Token) is { Length: > 0 } token ? token : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } env ? env : null;

    public static HttpClient Client(ParseResult parsed)
    {
        var client = new HttpClient { BaseAddress = new Uri(parsed.GetValue(Url)!), Timeout = Timeout.InfiniteTimeSpan };
        var token = TokenOf(parsed);
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Runs a command's call, turning an unreachable host into a message and exit code 1 instead of a stack trace.</summary>
    public static async Task<int> Run(Func<Task<int>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"Cannot reach EpiGrid: {e.Message}");
            return 1;
        }
    }

    /// <summary>Prints the API's problem (or the status) and returns the exit code for a failed call.</summary>
    public static async Task<int> Fail(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}: {body}");
        return 1;
    }
}
