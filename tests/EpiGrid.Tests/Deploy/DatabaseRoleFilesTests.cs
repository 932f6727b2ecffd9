using System.Text.RegularExpressions;
using EpiGrid.Tests.Alerts;

namespace EpiGrid.Tests.Deploy;

/// <summary>
/// Every way of running the platform connects it as the application role (no right to alter the schema), and hands the
/// migration role to the silos alone: run.sh, the local cluster, docker-compose and Kubernetes.
/// </summary>
public sealed partial class DatabaseRoleFilesTests
{
    static string Read(string path) => File.ReadAllText(Path.Combine(Repository.Root, path));

    [Theory]
    [InlineData("run.sh")]
    [InlineData("deploy/local-cluster.sh")]
    [InlineData("deploy/docker-compose.yml")]
    [InlineData("deploy/k8s/secret.yaml")]
    public void The_platform_connects_as_the_application_role(string file)
    {
        var users = MartenUser().Matches(Read(file)).Select(m => m.Groups[1].Value).ToList();
        users.ShouldNotBeEmpty($"{file} gives ConnectionStrings Marten");
        users.ShouldAllBe(u => u == "epigrid_app", $"{file}: {string.Join(", ", users)}");
        Read(file.StartsWith("deploy/k8s") ? "deploy/k8s/migration-secret.yaml" : file)
            .ShouldContain("ConnectionStrings__MartenMigration", Case.Sensitive, $"{file}: the silo migrates the schema as its owner");
    }

    [Fact]
    public void Only_the_silos_get_the_migration_role()
    {
        var compose = Read("deploy/docker-compose.yml");
        var web = compose[compose.IndexOf("x-web:", StringComparison.Ordinal)..compose.IndexOf("services:", StringComparison.Ordinal)];
        web.ShouldNotContain("MartenMigration");
        web.ShouldNotContain("epigrid_migrator");
        Read("deploy/k8s/web.yaml").ShouldNotContain("epigrid-migration");
        Read("deploy/k8s/silo.yaml").ShouldContain("secretRef: { name: epigrid-migration }");
        Read("deploy/k8s/kustomization.yaml").ShouldContain("migration-secret.yaml");
    }

    [Fact]
    public void Web_hosts_are_given_no_database_credentials()
    {
        var compose = Read("deploy/docker-compose.yml");
        compose[compose.IndexOf("x-web:", StringComparison.Ordinal)..compose.IndexOf("services:", StringComparison.Ordinal)]
            .ShouldNotContain("ConnectionStrings__Marten");
        var web = Read("deploy/k8s/web.yaml");
        web.ShouldNotContain("epigrid-database");
        Read("deploy/k8s/silo.yaml").ShouldContain("secretRef: { name: epigrid-database }");
        var secrets = Read("deploy/k8s/secret.yaml");
        var shared = secrets[secrets.IndexOf("name: epigrid-secrets", StringComparison.Ordinal)..secrets.IndexOf("name: epigrid-database", StringComparison.Ordinal)];
        shared.ShouldNotContain("ConnectionStrings__Marten", customMessage: "epigrid-secrets reaches the web pods");
        var policy = Read("deploy/k8s/network-policy.yaml");
        policy[policy.IndexOf("name: epigrid-web", StringComparison.Ordinal)..].ShouldNotContain("port: 5432");
        foreach (var script in new[] { "run.sh", "deploy/local-cluster.sh" })
        {
            // Every database connection string the script exports (the event store, the migration role, the history's reads).
            var exported = ExportedStore().Matches(Read(script)).Select(m => m.Groups[1].Value).Distinct().ToList();
            exported.ShouldContain("ConnectionStrings__Marten", script);
            Read(script).Split('\n').Where(l => l.Contains("EpiGrid.WebHost.dll", StringComparison.Ordinal) && l.Contains("exec", StringComparison.Ordinal))
                .ShouldAllBe(l => exported.All(name => Regex.IsMatch(l, $@"-u {name}(\s|$)")), $"{script} unsets {string.Join(", ", exported)} for the web hosts");
        }
    }

    [GeneratedRegex(@"export (ConnectionStrings__Marten\w*)=")]
    private static partial Regex ExportedStore();

    [GeneratedRegex(@"ConnectionStrings__Marten[=:]\s*""[^""]*Username=([a-z_]+)")]
    private static partial Regex MartenUser();
}
