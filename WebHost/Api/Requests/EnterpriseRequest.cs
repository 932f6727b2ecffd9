using EpiGrid.Resumption;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Body of PUT /api/v1/enterprises/{id}: registers an enterprise under a county, or changes its details.</summary>
public sealed record EnterpriseRequest
{
    public string? County { get; init; }
    public string? CellId { get; init; }
    public string? Name { get; init; }
    public string? Industry { get; init; }
    public double? BaselineKwhPerDay { get; init; }

    /// <summary>Above the daily use of the largest plants in the province; anything higher is a unit mistake.</summary>
    public const double MaxKwhPerDay = 100_000_000;

    public Enterprise? ToEnterprise(string id, Province province, FieldErrors errors)
    {
        Fields.Id(errors, "id", id);
        if (County is null) errors.Add("county", "Required: a 6-digit division code, e.g. 330782.");
        else if (province.Find(County) is null) errors.Add("county", $"There is no county {County} in {province.Options.ProvinceNameEn}.");
        if (CellId is not null && (!Province.IsCellId(CellId) || Province.CountyOfCell(CellId) != County))
            errors.Add("cellId", "Must be a cell id of the enterprise's county, e.g. 330782-004-017.");
        var name = Fields.Text(errors, "name", Name, maxLength: 200);
        var industry = Fields.Text(errors, "industry", Industry, maxLength: 100);
        if (BaselineKwhPerDay is not { } baseline) errors.Add("baselineKwhPerDay", "Required: the daily use in normal production, in kWh.");
        else if (!double.IsFinite(baseline) || baseline <= 0 || baseline > MaxKwhPerDay)
            errors.Add("baselineKwhPerDay", $"Must be above 0 and at most {MaxKwhPerDay:0}.");
        return errors.Any ? null : new Enterprise(id, County!, CellId, name!, industry!, BaselineKwhPerDay!.Value);
    }
}
