using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api.Requests;

/// <summary>Body of PUT /api/v1/cells/{cellId}: registers a cell, or changes its name or households.</summary>
public sealed record RegisterCellRequest
{
    public string? Name { get; init; }
    public int? Households { get; init; }

    public const int MaxHouseholds = 100_000;

    public RegisterCell? ToCommand(Provenance by, FieldErrors errors)
    {
        var name = Fields.Text(errors, "name", Name, maxLength: 100);
        if (Households is null) errors.Add("households", "Required.");
        else if (Households is < 0 or > MaxHouseholds) errors.Add("households", $"Must be between 0 and {MaxHouseholds}.");
        return errors.Any ? null : new RegisterCell(by, name!, Households!.Value);
    }
}
