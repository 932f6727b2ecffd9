using EpiGrid.WebHost.Api.Requests;

namespace EpiGrid.WebHost.Api;

/// <summary>Travellers arriving in a cell from elsewhere.</summary>
public static class TravellersApi
{
    public static RouteGroupBuilder MapTravellersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/cells/{cellId}/travellers", Register).WithTags("Travellers")
            .WithSummary("Register an arriving traveller; give travellerId to make retries safe.");
        return api;
    }

    static Task<Results<Created<TravellerAccepted>, Ok<TravellerAccepted>, ProblemHttpResult>> Register(
        string cellId, RegisterTravellerRequest? body, HttpContext http, CellCommandSender sender,
        [FromKeyedServices(Clocks.Domain)] TimeProvider clock) =>
        sender.Send(http, cellId, CellAccess.Write,
            (by, errors) => (body ?? new()).ToCommand(by, clock.GetUtcNow(), errors),
            (command, result) => new TravellerAccepted(cellId, command.TravellerId, result.Version, result.Outcome == Outcome.Unchanged));
}
