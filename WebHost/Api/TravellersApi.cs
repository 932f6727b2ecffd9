using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

/// <summary>Travellers arriving in a cell from elsewhere.</summary>
public static class TravellersApi
{
    public static RouteGroupBuilder MapTravellersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/cells/{cellId}/travellers", Register).WithTags("Travellers").WithName("registerTraveller")
            .WithSummary("Register an arriving traveller; give travellerId to make retries safe.")
            // The answer is a TravellerAccepted, or with an idNumber a person's ArrivalAccepted (202: kept as a report only).
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status201Created).Produces(StatusCodes.Status202Accepted)
            .ProducesProblems(400, 403, 404, 409);
        return api;
    }

    /// <summary>With an idNumber, a person's arrival (health code and all); without, an anonymous traveller of the cell.</summary>
    static async Task<IResult> Register(
        string cellId, RegisterTravellerRequest? body, HttpContext http, CellCommandSender sender, IClusterClient grains,
        Province province, IdentityHashing identityHashing, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (body is not null && PersonArrivals.IsPersonal(body))
            return await PersonsApi.ReportArrival(cellId, body, http, grains, province, identityHashing, clock);
        return await sender.Send(http, cellId, CellAccess.Write,
            (by, errors) => (body ?? new()).ToCommand(by, clock.GetUtcNow(), errors),
            (command, result) => new TravellerAccepted(cellId, command.TravellerId, result.Version, result.Outcome == Outcome.Unchanged));
    }
}
