using System.Diagnostics;
using System.Text.RegularExpressions;
using EpiGrid.Tests.Alerts;

namespace EpiGrid.Tests.Security;

/// <summary>
/// No secret is committed: every tracked text file is searched for private keys, cloud access keys, passwords in
/// connection strings and key-like values given to settings named *Key, *Secret or *Token. Deployment files may hold
/// placeholders only (CHANGE-ME, or ${VARIABLE} taken from the environment).
/// </summary>
public sealed partial class SecretsInRepositoryTests
{
    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----")] private static partial Regex PrivateKey();
    [GeneratedRegex(@"\bAKIA[0-9A-Z]{16}\b")] private static partial Regex AwsAccessKey();
    [GeneratedRegex(@"[Pp]assword=(?<value>[^;,""'\s]+)")] private static partial Regex ConnectionStringPassword();
    [GeneratedRegex(@"(Key|Secret|Token)[A-Za-z_]*[""']?\s*[:=]\s*[""'](?<value>[A-Za-z0-9+/_-]{24,}={0,2})[""']")] private static partial Regex KeyLikeSetting();

    static readonly string[] Placeholders = ["CHANGE-ME", "${", "...", "<"];

    /// <summary>What is found in a text: a description per finding, empty when it is clean.</summary>
    public static IEnumerable<string> Findings(string text)
    {
        if (PrivateKey().IsMatch(text)) yield return "a private key";
        if (AwsAccessKey().IsMatch(text)) yield return "an AWS access key id";
        foreach (Match m in ConnectionStringPassword().Matches(text))
            if (!Placeholders.Any(m.Groups["value"].Value.StartsWith)) yield return $"a password ({m.Value[..Math.Min(m.Value.Length, 12)]}...)";
        foreach (Match m in KeyLikeSetting().Matches(text))
            if (!m.Groups["value"].Value.StartsWith("CHANGE-ME")) yield return $"a key-like value ({m.Value[..Math.Min(m.Value.Length, 16)]}...)";
    }

    [Fact]
    public void The_search_finds_each_kind_of_secret()
    {
        // The samples are put together at run time, so that this file holds none of them and the search of it stays clean.
        Findings("-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE...").ShouldNotBeEmpty();
        Findings("aws_access_key_id = AK" + "IAIOSFODNN7EXAMPLE").ShouldNotBeEmpty();
        Findings("Host=db;Username=epigrid;Pass" + "word=hunter2;Database=epigrid").ShouldNotBeEmpty();
        Findings("\"SigningKey\": \"c2VjcmV0LXNpZ25pbmcta2V5LW9mLTMyLWJ5dGVzLWxvbmc=\"").ShouldNotBeEmpty();
        Findings("PersonalData__HashKey: \"Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5\"").ShouldNotBeEmpty();
        Findings("Password=${EPIGRID_POSTGRES_PASSWORD:?set it};Database=epigrid").ShouldBeEmpty();
        Findings("Password=CHANGE-ME;").ShouldBeEmpty();
        Findings("[\"Auth__SigningKey\"] = signingKey,").ShouldBeEmpty();
    }

    [Fact]
    public void No_tracked_file_holds_a_secret()
    {
        var files = TrackedFiles();
        files.ShouldContain("deploy/k8s/secret.yaml", "the search covers the deployment files");
        var findings = files
            .Where(f => !Binary.Contains(Path.GetExtension(f)) && !f.EndsWith("package-lock.json") && !f.EndsWith(".min.js"))
            .SelectMany(f => Findings(File.ReadAllText(Path.Combine(Repository.Root, f))).Select(what => $"{f}: {what}"))
            .ToList();
        findings.ShouldBeEmpty(string.Join(Environment.NewLine, findings));
    }

    static readonly HashSet<string> Binary = [".png", ".jpg", ".ico", ".woff", ".woff2", ".ttf", ".gz", ".zip"];

    static List<string> TrackedFiles()
    {
        var git = Process.Start(new ProcessStartInfo("git", "ls-files") { WorkingDirectory = Repository.Root, RedirectStandardOutput = true })!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        git.WaitForExit();
        git.ExitCode.ShouldBe(0, "the tests run in a clone of the repository");
        return files;
    }
}
