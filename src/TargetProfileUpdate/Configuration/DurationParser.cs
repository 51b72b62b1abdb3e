using System;
using System.Globalization;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Reads a duration setting: a number with a unit (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>; decimals allowed,
/// as in <c>1.5s</c>) or the <see cref="TimeSpan"/> form with colons (<c>hh:mm:ss</c>, <c>d.hh:mm:ss</c>, with an optional
/// fraction of a second). A bare number is refused: <see cref="TimeSpan.Parse(string)"/> reads <c>"7"</c> as seven days,
/// which is never what a timeout or a window of <c>7</c> meant.
/// </summary>
internal static class DurationParser
{
    /// <summary>The accepted forms, for messages.</summary>
    public const string Forms = "500ms, 30s, 5m, 1h, hh:mm:ss or d.hh:mm:ss";

    /// <summary>Why a text is not a duration.</summary>
    public enum Problem
    {
        /// <summary>It is one.</summary>
        None,

        /// <summary>A number without a unit.</summary>
        BareNumber,

        /// <summary>Anything else.</summary>
        Malformed,
    }

    public static Problem TryParse(string text, out TimeSpan value)
    {
        value = default;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return Problem.Malformed;
        }

        if (s.Contains(':'))
        {
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) ? Problem.None : Problem.Malformed;
        }

        int unitStart = s.Length;
        while (unitStart > 0 && char.IsAsciiLetter(s[unitStart - 1]))
        {
            unitStart--;
        }

        ReadOnlySpan<char> number = s[..unitStart].TrimEnd();
        ReadOnlySpan<char> unit = s[unitStart..];
        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)
            || !double.IsFinite(amount))
        {
            return Problem.Malformed;
        }

        if (unit.IsEmpty)
        {
            return Problem.BareNumber;
        }

        double ticksPerUnit = unit switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            "d" => TimeSpan.TicksPerDay,
            _ => 0,
        };
        double ticks = Math.Round(amount * ticksPerUnit);
        if (ticksPerUnit == 0 || ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
        {
            return Problem.Malformed;
        }

        value = TimeSpan.FromTicks((long)ticks);
        return Problem.None;
    }
}
