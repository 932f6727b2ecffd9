using System.Reflection;
using System.Xml.Linq;

namespace EpiGrid.Tests.Deploy;

/// <summary>
/// The web host and the simulator see the contracts only (Grains.Interfaces): no grain implementation, no Marten, no Npgsql.
/// Checked in the built assemblies (what they load) and in the project files (what they could start to use).
/// </summary>
public sealed class BoundaryTests
{
    static readonly string[] Forbidden = ["EpiGrid.Grains", "Marten", "Npgsql", "JasperFx", "Weasel"];

    public static TheoryData<string, string> Projects => new()
    {
        { "WebHost", "WebHost/WebHost.csproj" },
        { "Simulator", "tools/EpiGrid.Simulator/EpiGrid.Simulator.csproj" },
    };

    static Assembly AssemblyOf(string name) => name switch
    {
        "WebHost" => typeof(EpiGrid.WebHost.Auth.AuthOptions).Assembly,
        _ => typeof(EpiGrid.Simulator.Outbreak.OutbreakModel).Assembly,
    };

    [Theory, MemberData(nameof(Projects))]
    public void References_only_the_contracts(string name, string project)
    {
        var loaded = AssemblyOf(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        loaded.ShouldContain("EpiGrid.Grains.Interfaces");
        loaded.Where(a => Forbidden.Any(f => a == f || a.StartsWith(f + ".", StringComparison.Ordinal)) && a != "EpiGrid.Grains.Interfaces")
            .ShouldBeEmpty($"{name} loads them");

        var file = XDocument.Load(Path.Combine(Alerts.Repository.Root, project));
        var references = file.Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference")
            .Select(e => (string)e.Attribute("Include")!).ToList();
        references.ShouldNotContain(r => r.EndsWith(@"Grains\Grains.csproj", StringComparison.Ordinal), $"{project} references Grains");
        references.ShouldNotContain(r => Forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)) || r.Contains("NpgSql", StringComparison.OrdinalIgnoreCase),
            $"{project} references a store's package");
    }

    [Fact]
    public void No_web_host_source_file_names_Marten_or_Npgsql()
    {
        var root = Path.Combine(Alerts.Repository.Root, "WebHost");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetExtension(f) is ".cs" or ".csproj" or ".json" or ".js" or ".html");
        var naming = files.Where(f => File.ReadAllText(f) is var text && (text.Contains("Marten") || text.Contains("Npgsql")))
            .Select(f => Path.GetRelativePath(root, f)).ToList();
        naming.ShouldBeEmpty();
    }
}
