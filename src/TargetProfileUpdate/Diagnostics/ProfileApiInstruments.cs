using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TargetProfileUpdate.Diagnostics;

/// <summary>
/// The SDK's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, named <see cref="ProfileApiTelemetry.ActivitySourceName"/>
/// and <see cref="ProfileApiTelemetry.MeterName"/>, and the meter's instruments.
/// Tags come from small fixed sets (method, outcome, reason, size bucket): never ids, values, URLs or tokens.
/// </summary>
internal sealed class ProfileApiInstruments
{
    public const string UpdateActivityName = "TargetProfileUpdate.Update";
    public const string AttemptActivityName = "TargetProfileUpdate.Attempt";
    public const string FetchActivityName = "TargetProfileUpdate.Fetch";
    public const string BulkUploadActivityName = "TargetProfileUpdate.BulkUpload";
    public const string BulkBatchActivityName = "TargetProfileUpdate.BulkBatch";
    public const string BulkStatusActivityName = "TargetProfileUpdate.BulkStatus";
    public const string ImsActivityName = "TargetProfileUpdate.ImsToken";
    public const string AdminActivityName = "TargetProfileUpdate.AdminToken";
    public const string CatalogActivityName = "TargetProfileUpdate.AttributeCatalog";
    public const string PrivacyRequestActivityName = "TargetProfileUpdate.PrivacyRequest";
    public const string PrivacyJobsActivityName = "TargetProfileUpdate.PrivacyJobs";
    public const string PrivacyStatusActivityName = "TargetProfileUpdate.PrivacyStatus";

    public static readonly ActivitySource ActivitySource = new(ProfileApiTelemetry.ActivitySourceName, typeof(ProfileApiInstruments).Assembly.GetName().Version?.ToString());

    private static readonly Lazy<ProfileApiInstruments> SharedInstance = new(() => new ProfileApiInstruments(null));

    public ProfileApiInstruments(IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(new MeterOptions(ProfileApiTelemetry.MeterName)) ?? new Meter(ProfileApiTelemetry.MeterName);
        CallDuration = Meter.CreateHistogram<double>("target.profile_api.duration", "s", "Time of a call to a profile API (retries and token acquisition included), by endpoint, account and outcome.");
        Sent = Meter.CreateCounter<long>("target.profile_update.sent", "{update}", "Updates accepted by Adobe Target.");
        Failed = Meter.CreateCounter<long>("target.profile_update.failed", "{update}", "Updates not accepted, by reason.");
        Retried = Meter.CreateCounter<long>("target.profile_update.retried", "{attempt}", "HTTP attempts that were retried.");
        RateLimited = Meter.CreateCounter<long>("target.profile_update.rate_limited", "{update}", "Updates refused for rate or quota reasons, by source (client or server).");
        RequestSize = Meter.CreateHistogram<int>("target.profile_update.request.size", "By", "Size of an update: the whole URL for GET, the body for POST.");
        Duration = Meter.CreateHistogram<double>("target.profile_update.duration", "s", "Time of an update, retries included.");
        Fetches = Meter.CreateCounter<long>("target.profile_fetch.requests", "{request}", "Profile fetches, by outcome (found, not_found or a failure reason).");
        FetchDuration = Meter.CreateHistogram<double>("target.profile_fetch.duration", "s", "Time of a profile fetch, retries included.");
        BulkBatches = Meter.CreateCounter<long>("target.profile_bulk.batches", "{batch}", "Bulk batches accepted by Adobe Target.");
        BulkRowsSent = Meter.CreateCounter<long>("target.profile_bulk.rows_sent", "{row}", "Rows in accepted bulk batches.");
        BulkRowsRejected = Meter.CreateCounter<long>("target.profile_bulk.rows_rejected", "{row}", "Rows rejected before sending (mixed id kinds, bad ids, no attributes, oversize).");
        BulkBytes = Meter.CreateCounter<long>("target.profile_bulk.bytes", "By", "Bytes of CSV in accepted bulk batches.");
        PrivacyJobs = Meter.CreateCounter<long>("target.privacy.jobs", "{job}", "Privacy Service jobs created, by action (delete or access).");
        Suppressed = Meter.CreateCounter<long>("target.profile.suppressed", "{update}", "Updates, bulk rows and deliveries refused before sending because their profile is on the suppression list, by source.");
        BulkRetries = Meter.CreateCounter<long>("target.profile_bulk.retries", "{attempt}", "Bulk submissions sent again (503 over the per-minute limit, and other transient failures).");
    }

    /// <summary>The process-wide instance for clients created without DI.</summary>
    public static ProfileApiInstruments Shared => SharedInstance.Value;

    public Meter Meter { get; }

    /// <summary>Every call of every endpoint: tagged <c>endpoint</c>, <c>account</c>, <c>outcome</c>.</summary>
    public Histogram<double> CallDuration { get; }

    public Counter<long> Sent { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Counter<long> RateLimited { get; }

    public Histogram<int> RequestSize { get; }

    public Histogram<double> Duration { get; }

    public Counter<long> Fetches { get; }

    public Histogram<double> FetchDuration { get; }

    public Counter<long> BulkBatches { get; }

    public Counter<long> BulkRowsSent { get; }

    public Counter<long> BulkRowsRejected { get; }

    public Counter<long> BulkBytes { get; }

    public Counter<long> BulkRetries { get; }

    public Counter<long> PrivacyJobs { get; }

    public Counter<long> Suppressed { get; }

    /// <summary>A coarse size class for tags: never the exact size of one person's update.</summary>
    public static string SizeBucket(int bytes) => bytes switch
    {
        <= 1024 => "<=1KB",
        <= 8192 => "<=8KB",
        <= 61440 => "<=60KB",
        _ => ">60KB",
    };
}
