using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TargetProfileUpdate.Diagnostics;

/// <summary>
/// The SDK's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>TargetProfileUpdate</c>.
/// Tags come from small fixed sets (method, outcome, reason, size bucket): never ids, values, URLs or tokens.
/// </summary>
internal sealed class ProfileUpdateTelemetry
{
    public const string Name = "TargetProfileUpdate";
    public const string UpdateActivityName = "TargetProfileUpdate.Update";
    public const string AttemptActivityName = "TargetProfileUpdate.Attempt";
    public const string FetchActivityName = "TargetProfileUpdate.Fetch";

    public static readonly ActivitySource ActivitySource = new(Name, typeof(ProfileUpdateTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Lazy<ProfileUpdateTelemetry> SharedInstance = new(() => new ProfileUpdateTelemetry(null));

    public ProfileUpdateTelemetry(IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(new MeterOptions(Name)) ?? new Meter(Name);
        Sent = Meter.CreateCounter<long>("target.profile_update.sent", "{update}", "Updates accepted by Adobe Target.");
        Failed = Meter.CreateCounter<long>("target.profile_update.failed", "{update}", "Updates not accepted, by reason.");
        Retried = Meter.CreateCounter<long>("target.profile_update.retried", "{attempt}", "HTTP attempts that were retried.");
        RateLimited = Meter.CreateCounter<long>("target.profile_update.rate_limited", "{update}", "Updates refused for rate or quota reasons, by source (client or server).");
        RequestSize = Meter.CreateHistogram<int>("target.profile_update.request.size", "By", "Size of an update: the whole URL for GET, the body for POST.");
        Duration = Meter.CreateHistogram<double>("target.profile_update.duration", "s", "Time of an update, retries included.");
        Fetches = Meter.CreateCounter<long>("target.profile_fetch.requests", "{request}", "Profile fetches, by outcome (found, not_found or a failure reason).");
        FetchDuration = Meter.CreateHistogram<double>("target.profile_fetch.duration", "s", "Time of a profile fetch, retries included.");
    }

    /// <summary>The process-wide instance for clients created without DI.</summary>
    public static ProfileUpdateTelemetry Shared => SharedInstance.Value;

    public Meter Meter { get; }

    public Counter<long> Sent { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Counter<long> RateLimited { get; }

    public Histogram<int> RequestSize { get; }

    public Histogram<double> Duration { get; }

    public Counter<long> Fetches { get; }

    public Histogram<double> FetchDuration { get; }

    /// <summary>A coarse size class for tags: never the exact size of one person's update.</summary>
    public static string SizeBucket(int bytes) => bytes switch
    {
        <= 1024 => "<=1KB",
        <= 8192 => "<=8KB",
        <= 61440 => "<=60KB",
        _ => ">60KB",
    };
}
