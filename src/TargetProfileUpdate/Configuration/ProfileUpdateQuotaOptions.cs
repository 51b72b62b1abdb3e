using System;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TargetProfileUpdate.Configuration;

namespace TargetProfileUpdate;

/// <summary>
/// The client-side guard of Adobe's 1,000,000 updates per rolling 24 hours per account, and optional pacing.
/// One permit is counted per HTTP attempt (retries included); when the window is spent the client fails fast
/// with <see cref="ProfileApiRateLimitedException"/> and sends nothing. The default guard counts in this
/// process only: plug in a shared <see cref="System.Threading.RateLimiting.RateLimiter"/> with <c>TargetProfileUpdateBuilder.UseQuota</c> (for example the Redis one of <c>TargetProfileUpdate.Redis</c>) when several instances share an account.
/// </summary>
public sealed class ProfileUpdateQuotaOptions
{
    /// <summary>Adobe's documented limit of bulk and admin API calls per account: 50 per minute (bulk uploads, batch
    /// status polls and the Admin API token calls share it). Over it, Adobe answers 503.</summary>
    public const int BulkCallsPerMinute = 50;

    /// <summary>Gets or sets whether the quota guard is on, whichever limiter enforces it (the in-process one, or one plugged in
    /// with <c>UseQuota</c>, such as Redis). Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the permits per window. Default: 1,000,000.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 1_000_000;

    /// <summary>Gets or sets the rolling window. Default: 24 hours.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.OneTick, OptionKeys.MaxDuration, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets an even pace for HTTP attempts, in requests per second; attempts wait for their slot.
    /// Default: <see langword="null"/> (no pacing).</summary>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true)]
    public double? RequestsPerSecond { get; set; }

    /// <summary>Describes the settings.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"Enabled = {Enabled}, PermitLimit = {PermitLimit}, Window = {Window}, RequestsPerSecond = {RequestsPerSecond}");
}
