using System;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TargetProfileUpdate.Configuration;

namespace TargetProfileUpdate;

/// <summary>
/// Retries, timeouts and the circuit breaker of the profile update client. Profile updates set values,
/// so sending the same GET or POST again is safe and retries are on by default.
/// </summary>
/// <remarks>
/// Retried: connection failures, attempt timeouts and HTTP 408, 429, 500, 502, 503, 504. Never retried:
/// other 4xx, a <c>false</c> answer, caller cancellation. Set <see cref="Enabled"/> to
/// <see langword="false"/> when you add your own resilience handler (for example through
/// <c>ConfigureHttpClientDefaults</c>), so retries are not stacked.
/// </remarks>
public sealed class ProfileApiResilienceOptions
{
    /// <summary>Gets or sets whether the SDK's retry, timeout and circuit-breaker pipeline is used. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many times a transient failure is retried (0 to 10). Default: 3.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the exponential backoff (with jitter). Default: 1 second.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.OneTick, OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff delay. Default: 8 seconds.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.OneTick, OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Gets or sets the longest <c>Retry-After</c> the client waits for. A longer one (or one that
    /// would overrun <see cref="TotalTimeout"/>) fails at once with <see cref="ProfileApiRateLimitedException"/>
    /// (for 429) or <see cref="ProfileApiException"/>. Default: 30 seconds.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.Zero, OptionKeys.MaxDuration, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of one HTTP attempt. Default: 10 seconds.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.TenMilliseconds, OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the timeout of a whole update, retries and delays included. Default: 30 seconds.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.TenMilliseconds, OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether the circuit breaker is used. It opens on server failures (5xx, 408,
    /// timeouts, connection failures; never on 429) and then fails fast without a network call. Default: <see langword="true"/>.</summary>
    public bool CircuitBreakerEnabled { get; set; } = true;

    /// <summary>Gets or sets the failure ratio (above 0, at most 1) that opens the circuit. Default: 0.5.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many attempts the sampling window needs before the circuit can open. Default: 20.</summary>
    [Range(2, int.MaxValue)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Gets or sets the window over which the failure ratio is measured. Default: 30 seconds.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.HalfSecond, OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before one trial request. Default: 15 seconds.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.HalfSecond, OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Describes the settings.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Enabled = {Enabled}, MaxRetryAttempts = {MaxRetryAttempts}, BaseDelay = {BaseDelay}, MaxDelay = {MaxDelay}, MaxRetryAfter = {MaxRetryAfter}, AttemptTimeout = {AttemptTimeout}, TotalTimeout = {TotalTimeout}, CircuitBreakerEnabled = {CircuitBreakerEnabled}");

    /// <summary>A copy of every setting (for the bulk call's raised floors); never a field-by-field copy that could drift.</summary>
    internal ProfileApiResilienceOptions Clone() => (ProfileApiResilienceOptions)MemberwiseClone();
}
