using EpiGrid.Tests.Alerts;
using Npgsql;
using StackExchange.Redis;
using YamlDotNet.RepresentationModel;

namespace EpiGrid.Tests.Deploy;

/// <summary>
/// Issue 14: the silo and gateway ports were open to anything that could reach a pod, and the Kubernetes files spoke to
/// PostgreSQL and Redis in clear text. The manifests must fence the namespace with NetworkPolicies (default deny; silo
/// port from silos, gateway from web hosts) and ask for verified TLS to both stores.
/// </summary>
public sealed class ClusterNetworkFilesTests
{
    static string K8sDir => Path.Combine(Repository.Root, "deploy", "k8s");

    [Fact]
    public void The_namespace_denies_by_default_and_kustomize_applies_the_policies()
    {
        var policies = Policies();
        policies.ShouldContainKey("default-deny");
        var deny = (YamlMappingNode)policies["default-deny"]["spec"];
        ((YamlMappingNode)deny["podSelector"]).Children.ShouldBeEmpty("the default deny selects every pod");
        Strings(deny["policyTypes"]).ShouldBe(["Ingress", "Egress"], ignoreOrder: true);
        deny.Children.ContainsKey("ingress").ShouldBeFalse("default deny allows no ingress");
        deny.Children.ContainsKey("egress").ShouldBeFalse("default deny allows no egress");
        var kustomization = File.ReadAllText(Path.Combine(K8sDir, "kustomization.yaml"));
        kustomization.ShouldContain("network-policy.yaml");
    }

    [Fact]
    public void The_silo_port_is_open_to_silos_only_and_the_gateway_to_web_hosts_only()
    {
        var silo = (YamlMappingNode)Policies()["epigrid-silo"]["spec"];
        AppLabel(silo["podSelector"]).ShouldBe("epigrid-silo");
        var ingress = ((YamlSequenceNode)silo["ingress"]).Cast<YamlMappingNode>().ToList();
        AllowedFrom(ingress, 11111).ShouldBe(["epigrid-silo"]);
        AllowedFrom(ingress, 30000).ShouldBe(["epigrid-web"]);
        ingress.ShouldAllBe(rule => rule.Children.ContainsKey("from"), "every ingress rule to a silo names its sources");

        var web = (YamlMappingNode)Policies()["epigrid-web"]["spec"];
        var toSilo = ((YamlSequenceNode)web["egress"]).Cast<YamlMappingNode>()
            .Where(r => r.Children.ContainsKey("to") && Ports(r).Contains(30000)).ToList();
        toSilo.SelectMany(r => ((YamlSequenceNode)r["to"]).Select(p => AppLabel(((YamlMappingNode)p)["podSelector"]))).ShouldBe(["epigrid-silo"]);
        foreach (var spec in new[] { silo, web })
        {
            var egressPorts = ((YamlSequenceNode)spec["egress"]).Cast<YamlMappingNode>().SelectMany(Ports).ToList();
            // PostgreSQL for the silos only: a web host speaks to grains and has no database credentials.
            if (spec == silo) egressPorts.ShouldContain(5432, "PostgreSQL");
            else egressPorts.ShouldNotContain(5432, "a web host does not reach PostgreSQL");
            egressPorts.ShouldContain(6379, "Redis");
            egressPorts.ShouldContain(53, "DNS");
        }
    }

    [Fact]
    public void The_Kubernetes_connection_strings_ask_for_verified_TLS_to_PostgreSQL_and_Redis()
    {
        var settings = Documents("secret.yaml").Concat(Documents("migration-secret.yaml"))
            .SelectMany(d => ((YamlMappingNode)d["stringData"]).Children)
            .ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        foreach (var name in new[] { "ConnectionStrings__Marten", "ConnectionStrings__MartenMigration" })
            new NpgsqlConnectionStringBuilder(settings[name]).SslMode.ShouldBe(SslMode.VerifyFull, name);
        var redis = ConfigurationOptions.Parse(settings["ConnectionStrings__Redis"]);
        redis.Ssl.ShouldBeTrue("Redis over TLS");
        redis.SslHost.ShouldNotBeNullOrWhiteSpace("the name Redis' certificate is checked against");
    }

    static Dictionary<string, YamlMappingNode> Policies()
    {
        var path = Path.Combine(K8sDir, "network-policy.yaml");
        File.Exists(path).ShouldBeTrue("deploy/k8s/network-policy.yaml");
        return Documents("network-policy.yaml").Where(d => d["kind"].ToString() == "NetworkPolicy")
            .ToDictionary(d => ((YamlMappingNode)d["metadata"])["name"].ToString());
    }

    /// <summary>The app labels of the pods the rules with this port let in.</summary>
    static List<string> AllowedFrom(List<YamlMappingNode> rules, int port) =>
        rules.Where(r => Ports(r).Contains(port))
            .SelectMany(r => r.Children.TryGetValue("from", out var from) ? ((YamlSequenceNode)from).Cast<YamlMappingNode>() : [])
            .Select(peer => peer.Children.TryGetValue("podSelector", out var pods) ? AppLabel(pods) : "(not a pod selector)")
            .ToList();

    static List<int> Ports(YamlMappingNode rule) =>
        rule.Children.TryGetValue("ports", out var ports)
            ? ((YamlSequenceNode)ports).Cast<YamlMappingNode>().Select(p => int.Parse(p["port"].ToString())).ToList()
            : [];

    static string AppLabel(YamlNode selector) =>
        ((YamlMappingNode)((YamlMappingNode)selector)["matchLabels"])["app"].ToString();

    static IEnumerable<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Select(n => n.ToString());

    static IEnumerable<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(K8sDir, file)));
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>();
    }
}
