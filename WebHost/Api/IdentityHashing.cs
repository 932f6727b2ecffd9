using EpiGrid.People;
namespace EpiGrid.WebHost.Api;

/// <summary>Section "PersonalData".</summary>
public sealed record PersonalDataOptions
{
    public const string Section = "PersonalData";
    /// <summary>Key of the identity and phone hashes: at least 32 bytes, a secret, never in a file of the repository.</summary>
    public string? HashKey { get; init; }
}

/// <summary>
/// The keyed hashing of identifiers, when configured (<see cref="PersonalDataOptions.HashKey"/>). It lives in the web
/// host only: identity numbers are hashed at the edge, and no silo needs (or is given) the key.
/// </summary>
public sealed class IdentityHashing(IConfiguration config)
{
    public PersonalDataProtector? Protector { get; } =
        KeyOf(config) is { } key && HashKeyQuality.Problem(key) is null ? new PersonalDataProtector(key) : null;

    public ProblemDetails NotConfigured => Problems.Unavailable(
        "Reports with identity numbers are disabled: PersonalData:HashKey (at least 32 bytes) is not configured.");

    internal static string? KeyOf(IConfiguration config) => config.GetSection(PersonalDataOptions.Section).Get<PersonalDataOptions>()?.HashKey;
}

public static class IdentityHashingSetup
{
    /// <summary>
    /// The keyed hashing, checked at start-up: a key that is set but a placeholder or guessable stops the host with a
    /// message naming the setting (never the key). No key at all leaves identity reports off (503), as before.
    /// Bound lazily, as the auth options are, so test hosts can supply the setting late.
    /// </summary>
    public static IServiceCollection AddIdentityHashing(this IServiceCollection services)
    {
        services.AddOptions<PersonalDataOptions>().BindConfiguration(PersonalDataOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PersonalDataOptions>, HashKeyValidation>();
        services.AddOptions<CodeTokenOptions>().BindConfiguration(CodeTokenOptions.Section)
            .Validate(o => o.Lifetime >= TimeSpan.FromSeconds(5) && o.Lifetime <= TimeSpan.FromHours(1), $"{CodeTokenOptions.Section}:Lifetime: between 00:00:05 and 01:00:00.")
            .ValidateOnStart();
        services.AddSingleton<CodeTokens>(s => new CodeTokens(s.GetRequiredService<IConfiguration>(),
            s.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<CodeTokenOptions>>()));
        return services.AddSingleton<IdentityHashing>();
    }

    sealed class HashKeyValidation : Microsoft.Extensions.Options.IValidateOptions<PersonalDataOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, PersonalDataOptions options) =>
            string.IsNullOrEmpty(options.HashKey) || HashKeyQuality.Problem(options.HashKey) is not { } problem
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
                : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                    $"{PersonalDataOptions.Section}:HashKey is refused: {problem} Generate one, e.g. `head -c 48 /dev/urandom | base64 -w0`, "
                    + "keep it in a secret store, and keep it: a new key makes existing person references unmatchable.");
    }
}
