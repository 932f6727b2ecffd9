namespace EpiGrid.WebHost.Api.Requests;

/// <summary>
/// A temperature and symptoms as a grid worker or a person reports them, at a check-in or at a visit: one check of each,
/// so the two endpoints accept the same readings.
/// </summary>
static class Readings
{
    public const decimal LowestTemperature = 34, HighestTemperature = 43;
    public const int MaxSymptoms = 10, MaxSymptomLength = 50;

    /// <summary>Whether <paramref name="temperature"/> is a plausible body temperature; the error under "temperature" if not.</summary>
    public static bool Temperature(FieldErrors errors, decimal temperature)
    {
        if (temperature is >= LowestTemperature and <= HighestTemperature) return true;
        errors.Add("temperature", $"Must be between {LowestTemperature} and {HighestTemperature} °C.");
        return false;
    }

    /// <summary>The symptoms, trimmed; null with the error under "symptoms" when too many or one is empty or too long.</summary>
    public static List<string>? Symptoms(FieldErrors errors, List<string>? symptoms)
    {
        symptoms ??= [];
        if (symptoms.Count <= MaxSymptoms && symptoms.All(s => !string.IsNullOrWhiteSpace(s) && s.Length <= MaxSymptomLength))
            return symptoms.Select(s => s.Trim()).ToList();
        errors.Add("symptoms", $"At most {MaxSymptoms} symptoms of 1-{MaxSymptomLength} characters each.");
        return null;
    }
}
