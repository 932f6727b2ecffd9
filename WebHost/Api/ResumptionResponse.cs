using EpiGrid.Resumption;

namespace EpiGrid.WebHost.Api;

/// <summary>One day's index of a county, city or the province: rates as fractions, the index from 0 to 100.</summary>
public sealed record ResumptionResponse(
    string Day, int Enterprises, int Resumed, double ResumptionRate, double ProductionRate, double Index, string RuleVersion,
    int StaffAtWork, int StaffReports,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NameZh = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? NameEn = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<IndustryResumptionResponse>? Industries = null)
{
    public static ResumptionResponse From(ResumptionFigures f, string? code = null, string? nameZh = null, string? nameEn = null) =>
        new(f.Day.ToString("yyyy-MM-dd"), f.Enterprises, f.Resumed, f.ResumptionRate, f.ProductionRate, f.Index, f.RuleVersion, f.StaffAtWork, f.StaffReports,
            code, nameZh, nameEn, IndustryResumptionResponse.From(f.Industries));
}

/// <summary>One industry's figures of a day (by=industry), sorted by industry; enterprises and resumed add up to the day's.</summary>
public sealed record IndustryResumptionResponse(string Industry, int Enterprises, int Resumed, double ResumptionRate, double ProductionRate, double Index)
{
    public static IReadOnlyList<IndustryResumptionResponse>? From(IReadOnlyList<IndustryFigures>? industries) =>
        industries?.Select(i => new IndustryResumptionResponse(i.Industry, i.Enterprises, i.Resumed, i.ResumptionRate, i.ProductionRate, i.Index)).ToList();
}

/// <summary>The province's figures with every city's and county's of the same day: the map layer.</summary>
public sealed record ProvinceResumptionResponse(
    string Day, int Enterprises, int Resumed, double ResumptionRate, double ProductionRate, double Index, string RuleVersion,
    int StaffAtWork, int StaffReports, IReadOnlyList<ResumptionResponse> Cities, IReadOnlyList<ResumptionResponse> Counties,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<IndustryResumptionResponse>? Industries = null);

public sealed record ResumptionHistoryResponse(string? County, string From, string To, IReadOnlyList<ResumptionResponse> Days);

/// <param name="Errors">The first <see cref="FirstRowErrors{T}.Listed"/> bad rows by line.</param>
/// <param name="ErrorCount">Every bad row, listed or not.</param>
public sealed record ReadingsUploadResponse(int Applied, int Duplicates, IReadOnlyList<Requests.ReadingRowError> Errors, int ErrorCount);

public sealed record StaffAccepted(string Id, string Day, bool Duplicate);

public sealed record EnterpriseAccepted(string Id, string County, long Version, bool Duplicate);

public sealed record EnterpriseResponse(string Id, string County, string? CellId, string Name, string Industry, double BaselineKwhPerDay)
{
    public static EnterpriseResponse From(Enterprise e) => new(e.Id, e.County, e.CellId, e.Name, e.Industry, e.BaselineKwhPerDay);
}

public sealed record EnterprisesRegistered(int Created, int Updated, int Unchanged, IReadOnlyList<Requests.ReadingRowError> Errors);
