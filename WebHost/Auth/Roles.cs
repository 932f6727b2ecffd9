namespace EpiGrid.WebHost.Auth;

/// <summary>The roles a token's <c>role</c> claim may name.</summary>
public static class Roles
{
    public const string GridWorker = "grid-worker";
    public const string CountyOfficial = "county-official";
    public const string ProvinceOfficial = "province-official";
    public const string Auditor = "auditor";
    public const string Ingest = "ingest";
    public const string Admin = "admin";
    /// <summary>A checkpoint's scanner (a station exit, a community gate; issue 16): scans health codes, in the county its token names.</summary>
    public const string Checkpoint = "checkpoint";

    public static readonly IReadOnlyList<string> All = [GridWorker, CountyOfficial, ProvinceOfficial, Auditor, Ingest, Admin, Checkpoint];
}

/// <summary>Claim names as they appear in EpiGrid tokens (inbound claim mapping is off, so they stay short).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Role = "role";
    /// <summary>The county of a county official or a checkpoint: a 6-digit division code.</summary>
    public const string County = "county";
    /// <summary>One claim per cell a grid worker looks after.</summary>
    public const string Cell = "cell";
}
