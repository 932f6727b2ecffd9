using System.CommandLine;
using EpiGrid.Client.Audit;
using Spectre.Console;

namespace EpiGrid.Cli;

/// <summary>
/// <c>epigrid verify --digests FILE [--public-key FILE]</c>: checks a kept digest export. Exit codes: 0 the file's
/// signatures hold and the store agrees with every digest; 2 the store no longer agrees; 3 the file itself is refused
/// (altered, unsigned, another key); 1 the platform could not be asked.
/// </summary>
public static class VerifyDigestsCommand
{
    public static readonly Option<FileInfo?> Digests = new("--digests")
    {
        Description = "A file from GET /api/v1/audit/digests: check its signatures, then that the store still agrees with each digest.",
    };

    public static readonly Option<FileInfo?> PublicKey = new("--public-key")
    {
        Description = "The platform's digest public key (PEM or base64), kept apart from the file; without it the key written in the file is used.",
    };

    public static async Task<int> Run(ParseResult parsed, FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"--digests {file.FullName}: no such file");
            return 3;
        }
        byte[]? trusted = null;
        if (parsed.GetValue(PublicKey) is { } keyFile)
        {
            try { trusted = DigestFileSignatures.ReadPublicKey(await File.ReadAllTextAsync(keyFile.FullName, cancellationToken)); }
            catch (Exception e) when (e is IOException or FormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"--public-key {keyFile.Name}: not an EC public key ({e.Message})");
                return 3;
            }
        }
        else AnsiConsole.MarkupLine("[yellow]No --public-key: the signatures are checked with the key written in the file, which only a key kept apart can vouch for.[/]");

        using var client = Api.Client(parsed);
        var report = await DigestFileVerifier.Verify(client, await File.ReadAllBytesAsync(file.FullName, cancellationToken), trusted, cancellationToken);
        if (report.Refused is not null)
        {
            await Console.Error.WriteLineAsync(report.Refused);
            return 1;
        }
        if (report.FileProblems.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]REFUSED[/]: {file.Name} cannot be trusted:");
            foreach (var problem in report.FileProblems) AnsiConsole.MarkupLineInterpolated($"  {problem}");
            return 3;
        }
        if (report.Ok)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]OK[/]: {report.Digests} signed digests; the store agrees with each.");
            return 0;
        }
        var table = new Table().AddColumns("Stream", "Version / sequence", "Reason");
        foreach (var b in report.StoreBreaks) table.AddRow(Markup.Escape(b.Stream), b.Version.ToString(), Markup.Escape(b.Reason));
        AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/]: the store no longer agrees with {file.Name}: {report.StoreBreaks.Count} break(s).");
        AnsiConsole.Write(table);
        return 2;
    }
}
