using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;

namespace EpiGrid.Cluster;

/// <summary>
/// Keeps grain calls understood, during a rolling deploy, between nodes from before and after Grains.Interfaces moved into
/// feature folders (December 2026). Orleans names a call on the wire by its interface's full name and assembly and by a hash
/// of the method's signature, namespaces included: the move renamed six interfaces and changed the ids of 19 methods. The
/// renamed interfaces carry their former name as <c>[Alias]</c> (so their grain interface type is unchanged), those methods
/// their former id. A node writes a call to such a method as a node of the previous version does (former interface name and
/// assembly, former id) and reads the former interface names a node of the previous version writes.
/// Delete this, and the aliases that name it, once no cluster runs a version from before the move.
/// </summary>
public sealed class FormerWireNames : ITypeConverter, ITypeNameFilter
{
    const string Assembly = "EpiGrid.Grains.Interfaces";
    const string FormerNamespace = "EpiGrid.Contracts.";

    static readonly Dictionary<string, Type> ByFormerName = typeof(FormerWireNames).Assembly.GetTypes()
        .Where(t => t.IsInterface && t.GetCustomAttribute<AliasAttribute>()?.Alias.StartsWith(FormerNamespace, StringComparison.Ordinal) == true)
        .ToDictionary(t => t.GetCustomAttribute<AliasAttribute>()!.Alias, StringComparer.Ordinal);

    readonly ConcurrentDictionary<Type, string?> formerNames = new();

    public bool TryFormat(Type type, out string formatted)
    {
        formatted = formerNames.GetOrAdd(type, FormerName)!;
        return formatted is not null;
    }

    public bool TryParse(string formatted, out Type type)
    {
        var comma = formatted.IndexOf(',');
        var (name, assembly) = comma < 0 ? (formatted, Assembly) : (formatted[..comma], formatted[(comma + 1)..].Trim());
        if (assembly == Assembly && ByFormerName.TryGetValue(name, out var found))
        {
            type = found;
            return true;
        }
        type = null!;
        return false;
    }

    /// <summary>The former interface names are allowed on the wire, as the types they name now are.</summary>
    public bool? IsTypeNameAllowed(string typeName, string assemblyName) =>
        assemblyName == Assembly && ByFormerName.ContainsKey(typeName) ? true : null;

    /// <summary>
    /// A generated call of one of this assembly's interfaces, whose method is aliased with a former id (eight hex digits, the
    /// form of an id Orleans generates), as the previous version names it: <c>("inv",[proxy],[interface,assembly],"id")</c>.
    /// </summary>
    static string? FormerName(Type type)
    {
        foreach (var alias in type.GetCustomAttributes<CompoundTypeAliasAttribute>())
        {
            if (alias.Components is not ["inv", Type proxy, Type grain, string id] || grain.Assembly != typeof(FormerWireNames).Assembly
                || !IsFormerId(id) || !grain.GetMethods().Any(m => m.GetCustomAttribute<AliasAttribute>()?.Alias == id))
                continue;
            var grainName = grain.GetCustomAttribute<AliasAttribute>()?.Alias is { } former && former.StartsWith(FormerNamespace, StringComparison.Ordinal)
                ? former
                : grain.FullName;
            return $"(\"inv\",[{RuntimeTypeNameFormatter.Format(proxy)}],[{grainName},{Assembly}],\"{id}\")";
        }
        return null;
    }

    static bool IsFormerId(string id) => id.Length == 8 && uint.TryParse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _);
}

public static class FormerWireNamesSetup
{
    /// <summary>For silos and cluster clients alike (see <see cref="FormerWireNames"/>).</summary>
    public static IServiceCollection AddFormerWireNames(this IServiceCollection services)
    {
        services.TryAddSingleton<FormerWireNames>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITypeConverter, FormerWireNames>(sp => sp.GetRequiredService<FormerWireNames>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITypeNameFilter, FormerWireNames>(sp => sp.GetRequiredService<FormerWireNames>()));
        return services;
    }
}
