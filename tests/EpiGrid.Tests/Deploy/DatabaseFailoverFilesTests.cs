using EpiGrid.Tests.Alerts;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace EpiGrid.Tests.Deploy;

/// <summary>
/// Issue 20, the files that cannot run here: the Kubernetes overlay runs the event store as a CloudNativePG cluster with a
/// synchronous standby and points the silos at the Services that follow the primary (writers) and the standbys (the
/// history); the local cluster's --ha names both servers with the session each pool needs; compose says it has one.
/// (The failover itself runs here: the postgres-failover fault scenario.)
/// </summary>
public sealed class DatabaseFailoverFilesTests
{
    static string Read(string path) => File.ReadAllText(Path.Combine(Repository.Root, path));

    static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Read(path)));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    static YamlMappingNode Map(YamlNode node, params string[] path) =>
        path.Aggregate((YamlMappingNode)node, (m, key) => (YamlMappingNode)m[key]);

    [Fact]
    public void The_overlay_runs_PostgreSQL_with_a_synchronous_standby_that_must_hold_every_commit()
    {
        var cluster = Documents("deploy/k8s-ha/postgres-cluster.yaml").Single(d => d["kind"].ToString() == "Cluster");
        cluster["apiVersion"].ToString().ShouldStartWith("postgresql.cnpg.io/");
        int.Parse(Map(cluster, "spec")["instances"].ToString()).ShouldBeGreaterThanOrEqualTo(2);
        var synchronous = Map(cluster, "spec", "postgresql", "synchronous");
        int.Parse(synchronous["number"].ToString()).ShouldBeGreaterThanOrEqualTo(1);
        synchronous["dataDurability"].ToString().ShouldBe("required", "the primary must not acknowledge what only it holds");
        var kustomization = Read("deploy/k8s-ha/kustomization.yaml");
        foreach (var part in new[] { "../k8s", "postgres-cluster.yaml", "network-policy.yaml", "database-secrets.yaml", "silo-database-ca.yaml" })
            kustomization.ShouldContain(part);
    }

    [Fact]
    public void The_silos_write_through_the_primarys_Service_and_read_their_history_from_the_standbys()
    {
        var secrets = Documents("deploy/k8s-ha/database-secrets.yaml").ToDictionary(d => Map(d, "metadata")["name"].ToString(), d => Map(d, "stringData"));
        Host(secrets["epigrid-database"]["ConnectionStrings__Marten"].ToString()).ShouldBe("epigrid-db-rw");
        Host(secrets["epigrid-database"]["ConnectionStrings__MartenHistory"].ToString()).ShouldBe("epigrid-db-ro");
        Host(secrets["epigrid-migration"]["ConnectionStrings__MartenMigration"].ToString()).ShouldBe("epigrid-db-rw");
        foreach (var s in secrets.Values.SelectMany(m => m.Children.Values))
            new NpgsqlConnectionStringBuilder(s.ToString()).SslMode.ShouldBe(SslMode.VerifyFull);
        // The web hosts get none of it: the patch is to the silos' Secrets only.
        Read("deploy/k8s/web.yaml").ShouldNotContain("epigrid-database");
        var policy = Documents("deploy/k8s-ha/network-policy.yaml").Single();
        Read("deploy/k8s-ha/network-policy.yaml").ShouldContain("app: epigrid-silo");
        Map(policy, "spec", "podSelector", "matchLabels")["cnpg.io/cluster"].ToString().ShouldBe("epigrid-db");
    }

    [Fact]
    public void The_local_cluster_with_a_standby_names_both_servers_for_writers_and_prefers_the_standby_for_the_history()
    {
        var script = Read("deploy/local-cluster.sh");
        script.ShouldContain("up --ha");
        script.ShouldContain("deploy/local/postgres.sh standby");
        script.ShouldContain("Target Session Attributes=read-write");
        script.ShouldContain("ConnectionStrings__MartenHistory=\"Host=127.0.0.1:$standby_port,127.0.0.1:$pg_port;Target Session Attributes=prefer-standby");
        Read("deploy/local/postgres.sh").ShouldContain("alter system set synchronous_standby_names");
        Read("deploy/docker-compose.yml").ShouldContain("One PostgreSQL");
    }

    static string Host(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Host!;
}
