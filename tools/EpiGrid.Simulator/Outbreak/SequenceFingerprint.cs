using System.Security.Cryptography;
using System.Text;

namespace EpiGrid.Simulator.Outbreak;

/// <summary>A short hash of a report sequence: equal sequences, equal fingerprints (to compare runs at a glance).</summary>
public static class SequenceFingerprint
{
    public static string Of(IEnumerable<SimReport> reports)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var r in reports) hash.AppendData(Encoding.UTF8.GetBytes(r + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
