using System.Globalization;

namespace GenerativeSharp.Recipes;

/// <summary>Parses <c>--set</c> values with one-line errors that name the key and what is allowed.</summary>
public static class SettingValue
{
    public static int Integer(string key, string value, int minimum)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed >= minimum)
            return parsed;
        throw new InvalidInputException($"--set {key}={value}: expected an integer >= {minimum}.");
    }

    public static double PositiveNumber(string key, string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && parsed > 0 && double.IsFinite(parsed))
            return parsed;
        throw new InvalidInputException($"--set {key}={value}: expected a positive number.");
    }

    public static bool Boolean(string key, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "on" => true,
        "false" or "no" or "0" or "off" => false,
        _ => throw new InvalidInputException($"--set {key}={value}: expected true or false."),
    };

    public static double NonNegativeNumber(string key, string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && parsed >= 0 && double.IsFinite(parsed))
            return parsed;
        throw new InvalidInputException($"--set {key}={value}: expected a number >= 0.");
    }

    public static TEnum Choice<TEnum>(string key, string value) where TEnum : struct, Enum
    {
        if (Enum.TryParse(value, ignoreCase: true, out TEnum parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
            return parsed;
        string allowed = string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
        throw new InvalidInputException($"--set {key}={value}: expected one of {allowed}.");
    }
}
