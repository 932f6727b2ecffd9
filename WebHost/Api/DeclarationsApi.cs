using System.Diagnostics;
using EpiGrid.People;
using EpiGrid.WebHost.Api.Requests;
using EpiGrid.Platform;

namespace EpiGrid.WebHost.Api;

public sealed record DeclarationRequest
{
    public string? IdNumber { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? CellId { get; init; }
    public List<StayItem?>? Itinerary { get; init; }
    public List<string?>? Symptoms { get; init; }
    public bool? ContactWithCase { get; init; }
}

public sealed record CodeTokenRequest
{
    public string? Token { get; init; }
}

/// <summary>The code as its holder and a checkpoint see it: the colour, until when, the masked identity number. No reasons.</summary>
public sealed record PublicCode(string Colour, DateTimeOffset ValidUntil, string MaskedId);

/// <param name="Status">"accepted", or "verification-pending" when the identity number was declared from another phone first.</param>
/// <param name="Qr">The token as a QR image in the code's colour (a PNG data URL).</param>
public sealed record DeclarationAnswer(string Status, PublicCode? Code, string? Token, DateTimeOffset? TokenExpiresAt, string? Qr);

public sealed record SymptomChoice(string Value, string En, string Zh);
public sealed record CountyChoice(string Code, string NameZh, string NameEn);

/// <summary>What the public page needs to build its form: the domain clock's now, the province's offset, the choices.</summary>
public sealed record DeclarationForm(DateTimeOffset Now, string UtcOffset, int MaxItineraryDays, IReadOnlyList<SymptomChoice> Symptoms,
    IReadOnlyList<CountyChoice> Counties);

/// <summary>
/// Self-declaration (issue 16, 个人自述): a citizen, without an account, declares where they stay, their symptoms, a contact
/// with a case and their itinerary, and gets their health code as a short-lived signed token (<see cref="CodeTokens"/>) and its
/// QR. Anyone can type anyone's identity number, so a declaration only adds facts about its holder and never lowers a code; one
/// from another phone than the first replaces nothing and raises a task for the cell's workers to verify. Rate-limited per
/// address (<see cref="DeclarationLimits"/>).
/// </summary>
public static class DeclarationsApi
{
    public const string RateLimitPolicy = "public-declarations";

    /// <summary>What the form offers. Free text from anonymous callers is not taken: only these values.</summary>
    public static readonly IReadOnlyList<SymptomChoice> Symptoms =
    [
        new("fever", "Fever (≥ 37.3 °C)", "发热（≥37.3℃）"),
        new("cough", "Cough", "咳嗽"),
        new("fatigue", "Fatigue", "乏力"),
        new("sore-throat", "Sore throat", "咽痛"),
        new("shortness-of-breath", "Shortness of breath", "气促"),
        new("diarrhoea", "Diarrhoea", "腹泻"),
        new("loss-of-smell-or-taste", "Loss of smell or taste", "嗅觉或味觉减退"),
    ];

    public static RouteGroupBuilder MapDeclarationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/public/declarations/form", Form).AllowAnonymous().WithTags("Public").WithName("getDeclarationForm")
            .WithSummary("What the self-declaration page offers: the domain clock's now, the province's offset, symptoms and counties.");
        api.MapPost("/public/declarations", Declare).AllowAnonymous().RequireRateLimiting(RateLimitPolicy).WithTags("Public").WithName("declare")
            .WithSummary("Self-declaration without an account: the health code, a signed short-lived token for it and its QR. "
                + "202 verification-pending when the identity number was first declared from another phone.")
            .Produces<DeclarationAnswer>().Produces<DeclarationAnswer>(StatusCodes.Status202Accepted).ProducesProblems(400, 429, 503);
        api.MapPost("/public/codes:refresh", Refresh).AllowAnonymous().WithTags("Public").WithName("refreshCodeToken")
            .WithSummary("A new token (and QR) for the code of a token that has not expired yet: the public page renews its code with it.")
            .Produces<DeclarationAnswer>().ProducesProblems(400, 503);
        return api;
    }

    static Ok<DeclarationForm> Form(Province province, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        var offset = province.Options.UtcOffset;
        return TypedResults.Ok(new DeclarationForm(clock.GetUtcNow().ToOffset(offset), (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm"),
            ItineraryApi.MaxDaysBack, Symptoms, province.Counties.Select(c => new CountyChoice(c.Code, c.NameZh, c.NameEn)).ToList()));
    }

    static async Task<IResult> Declare(DeclarationRequest? body, HttpContext http, IClusterClient grains, Province province,
        IdentityHashing identityHashing, CodeTokens tokens, [FromKeyedServices(Clocks.Domain)] TimeProvider clock)
    {
        if (identityHashing.Protector is not { } protector || !tokens.Configured) return identityHashing.NotConfigured.ToResult(http);
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        var person = PersonIdentity.Read(errors, body?.IdNumber, body?.Name, body?.Phone, now.LocalDay(province.Options.UtcOffset), protector);
        if (string.IsNullOrWhiteSpace(body?.Name)) errors.Add("name", "Required / 请填写姓名");
        if (string.IsNullOrWhiteSpace(body?.Phone)) errors.Add("phone", "Required: the mobile number you can be reached at / 请填写手机号");
        var cellId = Fields.Id(errors, "cellId", body?.CellId);
        if (cellId is not null && !province.HasCell(cellId))
            errors.Add("cellId", "Must be a grid cell id of the province, such as 330782-001-001 / 请填写本省网格编号");
        var stays = body?.Itinerary is { Count: > 0 } itinerary ? ItineraryApi.Read(itinerary, now, province, errors, "itinerary") : [];
        var symptoms = ReadSymptoms(body?.Symptoms, errors);
        if (errors.Any) return Bilingual(errors.ToProblem()).ToResult(http);

        // Who declared: the holder of the phone (its keyed hash), not an account.
        var by = new Provenance($"citizen:{person!.PhoneHash![..16]}", PersonDecider.SelfDeclarationSource, Activity.Current?.Id ?? http.TraceIdentifier);
        var declaration = new Declaration(by, Guid.NewGuid().ToString("N"), person.MaskedId, person.Name, person.MaskedPhone!, person.PhoneHash,
            cellId!, symptoms!, body!.ContactWithCase ?? false, stays!);
        var (result, code, disputed) = await grains.GetGrain<IPersonGrain>(person.PersonRef).Declare(declaration);
        if (result.Outcome == Outcome.NotFound && result.Field == "cellId")
            return Problems.Invalid("cellId", $"No grid cell {cellId} is registered / 网格编号不存在").ToResult(http);
        if (CommandOutcomes.ProblemOf(result) is { } problem) return problem.ToResult(http);
        if (disputed) return TypedResults.Accepted((string?)null, new DeclarationAnswer("verification-pending", null, null, null, null));
        return TypedResults.Ok(Answer(code!, tokens));
    }

    static async Task<IResult> Refresh(CodeTokenRequest? body, HttpContext http, IClusterClient grains, CodeTokens tokens, IdentityHashing identityHashing)
    {
        if (!tokens.Configured) return identityHashing.NotConfigured.ToResult(http);
        var (personRef, _, refusal) = tokens.Read(body?.Token);
        if (refusal is not null) return Problems.Invalid("token", refusal).ToResult(http);
        if (await grains.GetGrain<IPersonGrain>(personRef!).GetCode() is not { } code)
            return Problems.Invalid("token", "No code is on record for this token / 无此健康码").ToResult(http);
        return TypedResults.Ok(Answer(code, tokens));
    }

    static DeclarationAnswer Answer(CodeView code, CodeTokens tokens)
    {
        var token = tokens.Issue(code.PersonRef);
        return new DeclarationAnswer("accepted", new PublicCode(code.Colour, code.ValidUntil, code.MaskedId), token.Token, token.ExpiresAt,
            CodeTokens.Qr(token.Token, code.Colour));
    }

    /// <summary>Citizens read these messages on the public page: a message that came in English only gets its Chinese half.</summary>
    static ProblemDetails Bilingual(ProblemDetails problem)
    {
        if (problem is HttpValidationProblemDetails validation)
            foreach (var field in validation.Errors.Keys.ToList())
                validation.Errors[field] = validation.Errors[field].Select(m => m.Any(c => c is >= '\u4e00' and <= '\u9fff') ? m : $"{m} / {ChineseFor(field)}").ToArray();
        return problem;
    }

    static string ChineseFor(string field) => field switch
    {
        "idNumber" => "身份证号码有误，请核对",
        "name" => "姓名有误",
        "phone" => "手机号码有误，请核对",
        "cellId" => "网格编号有误",
        _ when field.StartsWith("itinerary", StringComparison.Ordinal) => "行程有误，请核对地点和日期",
        _ when field.StartsWith("symptoms", StringComparison.Ordinal) => "症状选项有误",
        _ => "填写有误",
    };

    static List<string>? ReadSymptoms(List<string?>? symptoms, FieldErrors errors)
    {
        if (symptoms is null) return [];
        if (symptoms.Count > Symptoms.Count)
        {
            errors.Add("symptoms", $"At most {Symptoms.Count} symptoms.");
            return null;
        }
        var before = errors.Count;
        for (var i = 0; i < symptoms.Count; i++)
            if (!Symptoms.Any(s => s.Value == symptoms[i]))
                errors.Add($"symptoms[{i}]", $"Must be one of {string.Join(", ", Symptoms.Select(s => s.Value))}.");
        return errors.Count > before ? null : symptoms.Distinct().Select(s => s!).ToList();
    }
}
