namespace TargetProfileUpdate.Configuration;

/// <summary>
/// The configuration keys and durations that validation messages name, so a message points at the key to fix
/// (for example <c>TargetProfileUpdate:Resilience:AttemptTimeout</c>) and states the allowed range.
/// Constants, because attribute arguments must be.
/// </summary>
internal static class OptionKeys
{
    public const string Root = TargetProfileUpdateOptions.SectionName + ":";
    public const string Resilience = Root + "Resilience:";
    public const string Quota = Root + "Quota:";
    public const string AdobeIms = Root + "AdobeIms:";
    public const string Privacy = Root + "Privacy:";

    /// <summary>
    /// Why <c>[Range(typeof(TimeSpan), …)]</c> is trimming-safe here: the attribute is read only by the source-generated
    /// <see cref="TargetProfileUpdateOptionsDataAnnotationsValidator"/>, which compiles its own copy of the range check
    /// (no <c>TypeConverter</c> at run time); nothing in the package reflects over these attributes.
    /// </summary>
    public const string TimeSpanRangeIsSourceGenerated =
        "Read only by the source-generated options validator, which compiles its own range check; never through reflection.";

    /// <summary>The shortest duration: one tick (<see cref="System.TimeSpan"/> in constant form).</summary>
    public const string OneTick = "00:00:00.0000001";

    /// <summary>Ten milliseconds: the shortest timeout Polly accepts.</summary>
    public const string TenMilliseconds = "00:00:00.010";

    /// <summary>Half a second: the shortest circuit-breaker duration Polly accepts.</summary>
    public const string HalfSecond = "00:00:00.500";

    /// <summary>One day: the longest delay, timeout and circuit-breaker duration Polly accepts.</summary>
    public const string OneDay = "1.00:00:00";

    /// <summary>Twelve hours.</summary>
    public const string TwelveHours = "12:00:00";

    /// <summary>Zero.</summary>
    public const string Zero = "00:00:00";

    /// <summary><see cref="System.TimeSpan.MaxValue"/>.</summary>
    public const string MaxDuration = "10675199.02:48:05.4775807";
}
