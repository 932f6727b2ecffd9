using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EpiGrid.Tests.Alerts;
using YamlDotNet.RepresentationModel;

namespace EpiGrid.Tests.Deploy;

/// <summary>
/// The deployment files cannot be run here, so they are checked statically: every YAML file parses, and every setting
/// they hand to a silo or web host (Section__Key variables in compose, ConfigMap, Secret, container env, Dockerfile ENV)
/// is a configuration key the apps actually read.
/// </summary>
public sealed partial class DeployFilesTests
{
    static string DeployDir => Path.Combine(Repository.Root, "deploy");

    public static TheoryData<string> YamlFiles() => new(Directory.GetFiles(DeployDir, "*.y*ml", SearchOption.AllDirectories)
        .Where(f => f.EndsWith(".yml") || f.EndsWith(".yaml")).Select(f => Path.GetRelativePath(DeployDir, f)).Order());

    [Theory, MemberData(nameof(YamlFiles))]
    public void Every_YAML_file_parses(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(DeployDir, file)));
        stream.Load(reader);
        stream.Documents.ShouldNotBeEmpty();
        stream.Documents.ShouldAllBe(d => d.RootNode is YamlMappingNode);
    }

    [Fact]
    public void Every_setting_the_deployment_files_give_the_apps_is_a_configuration_key_they_read()
    {
        var known = KnownKeys();
        var used = SettingsInDeployFiles().ToList();
        used.Select(u => u.Key).ShouldContain("Cluster:Clustering");
        used.Select(u => u.Key).ShouldContain("ConnectionStrings:Marten");
        IsKnown("Cluster:GatewayPorts", known).ShouldBeFalse("a misspelt key must be caught");
        var unknown = used.Where(u => !IsKnown(u.Key, known)).Select(u => $"{u.Key} ({u.File})").Distinct().ToList();
        unknown.ShouldBeEmpty("settings no app reads: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_Kubernetes_manifests_have_a_silo_and_a_web_Deployment_their_Services_a_ConfigMap_a_Secret_and_external_stores()
    {
        var kinds = Directory.GetFiles(Path.Combine(DeployDir, "k8s"), "*.yaml").SelectMany(Documents)
            .Where(d => d.Children.ContainsKey("metadata")).Select(d => $"{d["kind"]}/{((YamlMappingNode)d["metadata"])["name"]}").ToList();
        kinds.ShouldContain("Deployment/epigrid-silo");
        kinds.ShouldContain("Deployment/epigrid-web");
        kinds.ShouldContain("Service/epigrid-web");
        kinds.ShouldContain("ConfigMap/epigrid-config");
        kinds.ShouldContain("Secret/epigrid-secrets");
        kinds.ShouldContain("Service/epigrid-postgres");
        kinds.ShouldContain("Service/epigrid-redis");
    }

    static bool IsKnown(string key, HashSet<string> known) =>
        known.Contains(key) || key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Keys of both apps' appsettings.json, every options record's section (nested records too), and the connection strings.</summary>
    static HashSet<string> KnownKeys()
    {
        // The connection strings the apps' code asks for by name (GetConnectionString("...")).
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { "Silo", "WebHost" }.SelectMany(d => Directory.GetFiles(Path.Combine(Repository.Root, d), "*.cs", SearchOption.AllDirectories)))
            foreach (Match m in ConnectionStringRead().Matches(File.ReadAllText(file)))
                keys.Add("ConnectionStrings:" + m.Groups[1].Value);
        foreach (var file in new[] { "Silo/appsettings.json", "WebHost/appsettings.json" })
            Flatten(JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, file)))!, "", keys);
        var assemblies = new[] { typeof(EpiGrid.Silo.SiloOptions).Assembly, typeof(EpiGrid.WebHost.Auth.AuthOptions).Assembly,
            typeof(EpiGrid.Grains.Storage.EventLogOptions).Assembly, typeof(EpiGrid.Geography.Province).Assembly };
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
                AddProperties(type, (string)field.GetValue(null)!, keys, depth: 0);
        return keys;
    }

    static void AddProperties(Type type, string prefix, HashSet<string> keys, int depth)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            keys.Add($"{prefix}:{p.Name}");
            if (depth < 3 && p.PropertyType.IsClass && p.PropertyType.Namespace?.StartsWith("EpiGrid") == true)
                AddProperties(p.PropertyType, $"{prefix}:{p.Name}", keys, depth + 1);
        }
    }

    static void Flatten(JsonNode node, string prefix, HashSet<string> keys)
    {
        if (node is JsonObject o)
            foreach (var (name, value) in o)
            {
                var key = prefix.Length == 0 ? name : $"{prefix}:{name}";
                keys.Add(key);
                if (value is not null) Flatten(value, key, keys);
            }
    }

    /// <summary>Section__Key settings handed to EpiGrid's own containers; other images' variables (POSTGRES_*) are not ours to check.</summary>
    static IEnumerable<(string Key, string File)> SettingsInDeployFiles()
    {
        foreach (var file in Directory.GetFiles(DeployDir, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(DeployDir, file);
            var text = File.ReadAllText(file);
            if (name.EndsWith("Dockerfile"))
                foreach (Match m in DockerEnv().Matches(text)) yield return (m.Groups[1].Value.Replace("__", ":"), name);
            if (!name.EndsWith(".yml") && !name.EndsWith(".yaml")) continue;
            foreach (var doc in Documents(file))
                foreach (var key in SettingNames(doc)) yield return (key.Replace("__", ":"), name);
        }
    }

    /// <summary>Mapping keys and env entries' names that look like settings (Section__Key), anywhere in the document.</summary>
    static IEnumerable<string> SettingNames(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } key } && SettingName().IsMatch(key)) yield return key;
                    if (k is YamlScalarNode { Value: "name" } && v is YamlScalarNode { Value: { } value } && SettingName().IsMatch(value)) yield return value;
                    foreach (var inner in SettingNames(v)) yield return inner;
                }
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                    foreach (var inner in SettingNames(item)) yield return inner;
                break;
        }
    }

    static IEnumerable<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(file));
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>();
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*(__[A-Za-z0-9]+)+$")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\b([A-Z][A-Za-z0-9]*(?:__[A-Za-z0-9]+)+)=")]
    private static partial Regex DockerEnv();

    [GeneratedRegex(@"GetConnectionString\(""(\w+)""\)")]
    private static partial Regex ConnectionStringRead();
}
