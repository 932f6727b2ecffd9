namespace EpiGrid.WebHost.Api;

/// <summary>
/// The checks every request about one cell starts with, in order: a well-formed id (400), the caller's
/// jurisdiction (403), a county the geography knows (404). Grains are never woken for ids that fail them.
/// </summary>
static class CellTarget
{
    public static ProblemDetails? Check(string? cellId, CellAccess access, Jurisdiction caller, Province province, string field = "cellId")
    {
        if (!Province.IsCellId(cellId))
            return Problems.Invalid(field, "Required: a cell id of the form 330782-004-017 (county code, then two 3-digit parts).");
        if (!caller.May(access, cellId!))
            return caller.Refusal(access, cellId!);
        var county = Province.CountyOfCell(cellId!);
        return province.Find(county) is null ? Problems.NotFound($"There is no county {county} in {province.Options.ProvinceNameEn}.") : null;
    }
}
