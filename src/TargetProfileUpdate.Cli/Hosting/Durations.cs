using System;
using System.Globalization;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// The one way the tool reads a duration option: a number with a unit (<c>500ms</c>, <c>5s</c>, <c>1m</c>, <c>1h</c>, <c>1.5s</c>),
/// or a bare number of seconds (<c>30</c>), as every duration option takes it.
/// </summary>
internal static class Durations
{
    /// <summary>Parses <paramref name="text"/>; a usage error naming <paramref name="option"/> and its range when it is not a
    /// duration from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static TimeSpan Parse(string? text, string option, TimeSpan min, TimeSpan max)
    {
        if (TryParse(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw new UsageException(string.Create(
            CultureInfo.InvariantCulture,
            $"{option} must be a duration from {Format(min)} to {Format(max)}, such as 5s, 1m or 1h (a bare number is seconds)."));
    }

    /// <summary>Reads a duration with a unit (ms, s, m, h) or a bare number of seconds.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        (double unit, int suffix) = span switch
        {
            _ when span.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (0.001, 2),
            _ when span.EndsWith("s", StringComparison.OrdinalIgnoreCase) => (1.0, 1),
            _ when span.EndsWith("m", StringComparison.OrdinalIgnoreCase) => (60.0, 1),
            _ when span.EndsWith("h", StringComparison.OrdinalIgnoreCase) => (3600.0, 1),
            _ => (1.0, 0),
        };
        if (!double.TryParse(span[..^suffix], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)
            || !double.IsFinite(number) || number * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(number * unit);
        return true;
    }

    /// <summary>A duration the way the options take it: <c>50ms</c>, <c>1s</c>, <c>10m</c>, <c>1h</c>.</summary>
    public static string Format(TimeSpan value) => value switch
    {
        _ when value < TimeSpan.FromSeconds(1) => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms",
        _ when value < TimeSpan.FromMinutes(1) || value.Ticks % TimeSpan.TicksPerMinute != 0 => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
        _ when value < TimeSpan.FromHours(1) || value.Ticks % TimeSpan.TicksPerHour != 0 => value.TotalMinutes.ToString("0.###", CultureInfo.InvariantCulture) + "m",
        _ => value.TotalHours.ToString("0.###", CultureInfo.InvariantCulture) + "h",
    };
}
