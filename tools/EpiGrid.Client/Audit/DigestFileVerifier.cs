using System.Net.Http.Json;

namespace EpiGrid.Client.Audit;

public sealed record DigestBreak(string Stream, long Version, string Reason);

/// <summary>What checking a digest file found: problems with the file itself, and where the store no longer agrees.</summary>
public sealed record DigestFileReport(int Digests, IReadOnlyList<string> FileProblems, IReadOnlyList<DigestBreak> StoreBreaks, string? Refused)
{
    public bool Ok => FileProblems.Count == 0 && StoreBreaks.Count == 0 && Refused is null;
}

/// <summary>
/// <c>epigrid verify --digests FILE</c>: the file's signatures first (<see cref="DigestFileSignatures"/>); then the
/// platform recomputes every stream's chain (<c>GET /api/v1/audit/verify</c>) and whether the chain still folds to
/// each signed digest (<c>POST /api/v1/audit/verify/digests</c>, in chunks). A file that fails its signatures is not
/// sent: nothing in it can be trusted.
/// </summary>
public static class DigestFileVerifier
{
    const int Chunk = 1000;

    sealed record Break(string Stream, long Version, string Reason);
    sealed record Response(bool Ok, long CheckedEvents, int CheckedDigests, List<Break> Breaks);

    public static async Task<DigestFileReport> Verify(HttpClient client, byte[] file, byte[]? trustedKey, CancellationToken cancellationToken = default)
    {
        var (digests, problems) = DigestFileSignatures.Check(file, trustedKey);
        if (problems.Count > 0) return new DigestFileReport(digests.Count, problems, [], null);

        var breaks = new List<DigestBreak>();
        using (var streams = await client.GetAsync("/api/v1/audit/verify", cancellationToken))
        {
            if (!streams.IsSuccessStatusCode) return Refusal(digests.Count, streams, await streams.Content.ReadAsStringAsync(cancellationToken));
            var report = (await streams.Content.ReadFromJsonAsync<Response>(cancellationToken))!;
            breaks.AddRange(report.Breaks.Select(b => new DigestBreak(b.Stream, b.Version, b.Reason)));
        }
        foreach (var chunk in digests.Chunk(Chunk))
        {
            var body = new { digests = chunk.Select(d => new { uptoSeq = d.UptoSeq, fromSeq = d.FromSeq, events = d.Events, prevDigest = d.PrevDigest, digest = d.Digest }) };
            using var checkedChunk = await client.PostAsJsonAsync("/api/v1/audit/verify/digests", body, cancellationToken);
            if (!checkedChunk.IsSuccessStatusCode) return Refusal(digests.Count, checkedChunk, await checkedChunk.Content.ReadAsStringAsync(cancellationToken));
            var report = (await checkedChunk.Content.ReadFromJsonAsync<Response>(cancellationToken))!;
            breaks.AddRange(report.Breaks.Select(b => new DigestBreak(b.Stream, b.Version, b.Reason)));
        }
        return new DigestFileReport(digests.Count, [], breaks, null);
    }

    static DigestFileReport Refusal(int digests, HttpResponseMessage response, string body) =>
        new(digests, [], [], $"{(int)response.StatusCode} {response.ReasonPhrase}: {body}");
}
