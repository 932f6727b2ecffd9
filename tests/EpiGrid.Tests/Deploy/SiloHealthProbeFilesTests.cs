using System.Text.RegularExpressions;
using EpiGrid.Tests.Alerts;
using YamlDotNet.RepresentationModel;

namespace EpiGrid.Tests.Deploy;

/// <summary>
/// Kubernetes probed the silo with bare TCP connects, which a wedged silo still accepts. The silo Deployment must probe
/// the silo's health endpoint over HTTP, on the port the silo is told to open, and every silo image and compose file
/// must open it.
/// </summary>
public sealed partial class SiloHealthProbeFilesTests
{
    static string DeployDir => Path.Combine(Repository.Root, "deploy");

    [Fact]
    public void The_silo_Deployment_probes_live_and_ready_on_the_health_port_it_opens()
    {
        var container = SiloContainer();
        var healthPort = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>()
            .Single(e => e["name"].ToString() == "Observability__HealthPort")["value"].ToString();
        var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().ToDictionary(p => p["name"].ToString(), p => p["containerPort"].ToString());

        foreach (var (probe, path) in new[] { ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready") })
        {
            var get = (YamlMappingNode)((YamlMappingNode)container[probe])["httpGet"];
            get["path"].ToString().ShouldBe(path, probe);
            ports[get["port"].ToString()].ShouldBe(healthPort, $"{probe} probes the port Observability__HealthPort opens");
        }
    }

    [Fact]
    public void The_silo_image_and_compose_open_the_health_port()
    {
        var dockerfile = File.ReadAllText(Path.Combine(DeployDir, "docker", "silo.Dockerfile"));
        var port = HealthPortInDockerfile().Match(dockerfile).Groups[1].Value;
        port.ShouldNotBeEmpty("silo.Dockerfile sets Observability__HealthPort");
        ExposeLine().Match(dockerfile).Value.Split(' ').ShouldContain(port, "silo.Dockerfile exposes the health port");
        File.ReadAllText(Path.Combine(DeployDir, "docker-compose.yml")).ShouldContain($"Observability__HealthPort: \"{port}\"");
    }

    static YamlMappingNode SiloContainer()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(DeployDir, "k8s", "silo.yaml")));
        stream.Load(reader);
        var deployment = stream.Documents.Select(d => (YamlMappingNode)d.RootNode).Single(d => d["kind"].ToString() == "Deployment");
        var pod = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"];
        return ((YamlSequenceNode)pod["containers"]).Cast<YamlMappingNode>().Single(c => c["name"].ToString() == "silo");
    }

    [GeneratedRegex(@"Observability__HealthPort=(\d+)")]
    private static partial Regex HealthPortInDockerfile();

    [GeneratedRegex(@"(?m)^EXPOSE .*$")]
    private static partial Regex ExposeLine();
}
