using System.Security.Claims;

namespace EpiGrid.WebHost.Auth;

public enum CellAccess { Read, Write, Register, Control, Visit }

/// <summary>
/// Who may touch which cell, in one place: every endpoint asks here. Grid workers act on their own cells,
/// county officials on their county's, the province's roles read everything, and only the roles that
/// report (grid worker, county official, ingest, admin) write. Putting a cell under control is a decision of the
/// county's officials (and admins): not of the workers who carry it out, nor of a source system. A visit at the door
/// (issue 19) is recorded by those who make it or answer for it: the cell's grid workers and the county's officials.
/// </summary>
public sealed class Jurisdiction
{
    Jurisdiction(string actor, string role, string? county, IReadOnlySet<string> cells)
    {
        Actor = actor;
        Role = role;
        County = county;
        Cells = cells;
    }

    public string Actor { get; }
    public string Role { get; }
    public string? County { get; }
    public IReadOnlySet<string> Cells { get; }

    public static Jurisdiction Of(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimNames.Subject) ?? "",
        user.FindFirstValue(ClaimNames.Role) ?? "",
        user.FindFirstValue(ClaimNames.County),
        user.FindAll(ClaimNames.Cell).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    public bool May(CellAccess access, string cellId) => access switch
    {
        CellAccess.Read => Role switch
        {
            Roles.GridWorker => Cells.Contains(cellId),
            Roles.CountyOfficial => InMyCounty(cellId),
            Roles.ProvinceOfficial or Roles.Auditor or Roles.Admin => true,
            _ => false,
        },
        CellAccess.Write => Role switch
        {
            Roles.GridWorker => Cells.Contains(cellId),
            Roles.CountyOfficial => InMyCounty(cellId),
            Roles.Ingest or Roles.Admin => true,
            _ => false,
        },
        CellAccess.Register => Role == Roles.Admin,
        CellAccess.Visit => Role switch
        {
            Roles.GridWorker => Cells.Contains(cellId),
            Roles.CountyOfficial => InMyCounty(cellId),
            _ => false,
        },
        CellAccess.Control => Role switch
        {
            Roles.CountyOfficial => InMyCounty(cellId),
            Roles.Admin => true,
            _ => false,
        },
        _ => false,
    };

    /// <summary>
    /// Whose residents this caller's arrival reports may move or re-code (issue 14): source systems' and admins'
    /// anyone's, a county official's their county's, a grid worker's their cells'. Anyone else's report about a
    /// person on record is kept as a report only.
    /// </summary>
    public EpiGrid.People.ReportAuthority ReportReach => Role switch
    {
        Roles.Ingest or Roles.Admin => EpiGrid.People.ReportAuthority.All,
        Roles.CountyOfficial when County is not null => new(false, County, []),
        Roles.GridWorker => new(false, null, Cells.Order(StringComparer.Ordinal).ToList()),
        _ => EpiGrid.People.ReportAuthority.NewPersonsOnly,
    };

    /// <summary>A health code's reasons (temperatures, symptoms, contacts, origin) go to those who may read the person's cell.</summary>
    public bool MaySeeReasonsOf(string? personCell) => personCell is not null && May(CellAccess.Read, personCell);

    /// <summary>Counties and the province are public to every role: the map is what everyone works from.</summary>
    public bool MayReadCounties => Roles.All.Contains(Role);

    public ProblemDetails Refusal(CellAccess access, string cellId) => Problems.Forbidden(access switch
    {
        CellAccess.Register => "Only an admin may register or update cells.",
        CellAccess.Control when Role is not Roles.CountyOfficial => "Only the county's officials may put a cell under control or lift it.",
        CellAccess.Visit when Role is not (Roles.GridWorker or Roles.CountyOfficial) => "Only the cell's grid workers and the county's officials record visits.",
        _ when Role is Roles.GridWorker => $"Cell {cellId} is not one of this grid worker's cells.",
        _ when Role is Roles.CountyOfficial => $"Cell {cellId} is outside county {County}.",
        CellAccess.Write => $"Role '{Role}' may not write cell data.",
        _ => $"Role '{Role}' may not read cell data.",
    });

    bool InMyCounty(string cellId) => County is not null && Province.CountyOfCell(cellId) == County;
}
