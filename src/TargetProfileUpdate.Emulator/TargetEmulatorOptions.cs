using System;
using System.Collections.Generic;

namespace TargetProfileUpdate.Emulator;

/// <summary>Settings of a <see cref="TargetEmulator"/>. Defaults follow Adobe's documented behaviour.</summary>
public sealed class TargetEmulatorOptions
{
    /// <summary>Gets or sets the client code the emulator answers for (<c>/m2/{clientCode}/…</c>, <c>?client=</c>). Default: <c>demo</c>.</summary>
    public string ClientCode { get; set; } = "demo";

    /// <summary>Gets or sets the address to listen on. Default: <c>http://127.0.0.1:0</c> (loopback, a free port).</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Gets or sets the profile API token. When set, every profile endpoint requires
    /// <c>Authorization: Bearer {token}</c> and answers 403 otherwise. Default: none.</summary>
    /// <remarks>
    /// Without <see cref="ImsClientId"/> this token is fixed and never expires. With it, this is the first profile
    /// token the Admin API hands out (a random one when not set); it expires after <see cref="ProfileTokenLifetime"/>
    /// and is replaced by a rotation.
    /// </remarks>
    public string? AuthorizationToken { get; set; }

    /// <summary>Gets or sets the OAuth Server-to-Server client id the IMS token endpoint accepts (also the <c>X-Api-Key</c> the
    /// Admin API requires). When set, every profile endpoint requires the current, unexpired profile token. Default: none
    /// (the IMS and Admin API token endpoints refuse every request).</summary>
    public string? ImsClientId { get; set; }

    /// <summary>Gets or sets the client secret the IMS token endpoint accepts with <see cref="ImsClientId"/>. Default: none.</summary>
    public string? ImsClientSecret { get; set; }

    /// <summary>Gets or sets the tenant of the Admin API path (<c>/{tenant}/target/authentication/token</c>).
    /// Default: <see langword="null"/>, meaning <see cref="ClientCode"/>.</summary>
    public string? Tenant { get; set; }

    /// <summary>Gets or sets how long an IMS access token is valid (<c>expires_in</c>). Default: 86,399 seconds, as Adobe answers.</summary>
    public TimeSpan ImsTokenLifetime { get; set; } = TimeSpan.FromSeconds(86_399);

    /// <summary>Gets or sets how long a profile token is valid (<c>expiresIn</c>) when <see cref="ImsClientId"/> is set. Default: 24 hours.</summary>
    public TimeSpan ProfileTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets whether a profile token exists at start. When <see langword="false"/>, the Admin API's GET answers 404
    /// ("no token yet") until a POST generates one, as for a tenant that never generated one in the Target UI. Default: <see langword="true"/>.</summary>
    public bool ProfileTokenExists { get; set; } = true;

    /// <summary>Gets or sets whether profile fetch answers in the legacy shape (<c>mboxPC</c> and <c>thirdPartyId</c> at the top,
    /// timestamps without an offset) instead of the current <c>visitorId</c> object. Default: <see langword="false"/>.</summary>
    public bool LegacyFetchShape { get; set; }

    /// <summary>Gets or sets whether profile fetch gives <c>visitorId</c> as an object <c>{tntId, thirdPartyId, marketingCloudVisitorId}</c>
    /// instead of Adobe's documented string (the PC id). Default: <see langword="false"/>.</summary>
    /// <remarks>Adobe's only sample shows a string; the object shape is not documented (inferred).</remarks>
    public bool FetchVisitorIdAsObject { get; set; }

    /// <summary>Gets or sets the most data rows one bulk <c>batchUpdate</c> call may carry; more is refused with
    /// <c>&lt;success&gt;false&lt;/success&gt;</c>. Default: 500,000.</summary>
    public int BulkMaxRows { get; set; } = 500_000;

    /// <summary>Gets or sets the most CSV bytes (the body after <c>batch=</c>) one bulk <c>batchUpdate</c> call may carry; more is refused with
    /// <c>&lt;success&gt;false&lt;/success&gt;</c>. Default: 50,000,000.</summary>
    public long BulkMaxBytes { get; set; } = 50_000_000;

    /// <summary>Gets or sets how many bulk, batch status and Admin API calls are allowed per rolling minute; beyond it, 503
    /// (documented) with <c>Retry-After</c> (inferred). Default: 50.</summary>
    public int BulkCallsPerMinute { get; set; } = 50;

    /// <summary>Gets or sets how long a batch stays <c>incomplete</c> before it becomes <c>complete</c> and its rows are applied
    /// (then visible to fetch after <see cref="PropagationDelay"/>). Default: 2 seconds, so code that treats "submitted" as
    /// "complete" fails here as it would against Adobe; set <see cref="TimeSpan.Zero"/> explicitly where a test needs it.</summary>
    /// <remarks>Adobe: batches stay <c>incomplete</c> for minutes (<see cref="UseRealisticDelays"/> uses 10 minutes).</remarks>
    public TimeSpan BatchProcessingDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how many batch statuses are kept (older ones answer 404). Default: 10, as Adobe keeps.</summary>
    public int MaxRetainedBatches { get; set; } = 10;

    /// <summary>Gets or sets whether batch status answers in the legacy per-profile shape
    /// (<c>&lt;profile&gt;&lt;id/&gt;&lt;status&gt;success|error|pending&lt;/status&gt;&lt;/profile&gt;</c>) instead of the counts. Default: <see langword="false"/>.</summary>
    public bool LegacyBatchStatus { get; set; }

    /// <summary>Gets or sets the longest GET request URL (absolute: scheme, host, path and query), in bytes; longer gets 414. Default: 8192.</summary>
    public int MaxGetRequestBytes { get; set; } = 8 * 1024;

    /// <summary>Gets or sets the longest POST body, in bytes; longer gets 413. Default: 61440.</summary>
    public int MaxPostRequestBytes { get; set; } = 60 * 1024;

    /// <summary>Gets or sets how many update requests the account may make per <see cref="QuotaWindow"/>; beyond it, 429 with
    /// <c>Retry-After</c> (inferred: Adobe documents the quota, not the answer). Default: 1,000,000.</summary>
    public int QuotaLimit { get; set; } = 1_000_000;

    /// <summary>Gets or sets the rolling quota window. Default: 24 hours.</summary>
    public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long an accepted update takes to become visible to profile fetch. Default: 2 seconds, so
    /// read-your-write code fails here as it would against Adobe; set <see cref="TimeSpan.Zero"/> explicitly where a test needs it.</summary>
    /// <remarks>Adobe: updates are usually visible within an hour, at most 24 hours (<see cref="UseRealisticDelays"/> uses one hour).</remarks>
    public TimeSpan PropagationDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a profile created by a visit (<see cref="TargetEmulator.Visit"/>, <c>POST /_emulator/visits</c>)
    /// takes to become available to the profile APIs: until then updates for it are dropped and fetch answers 404.
    /// Default: 2 seconds.</summary>
    /// <remarks>Adobe: a new profile can take up to about an hour to become available (<c>--realistic</c> uses one hour).</remarks>
    public TimeSpan ProfileCreationDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a profile lives without activity (a visit, a seed, or a v2 bulk row); then it fetches as
    /// 404 and drops updates, as an unknown one. Default: 14 days, Adobe's documented default.</summary>
    /// <remarks>Whether single profile updates count as activity is not documented: the emulator says they do not (inferred).</remarks>
    public TimeSpan ProfileLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets the most external data one profile may hold, in bytes (UTF-8 names and values of its attributes).
    /// An update or bulk row that would go over it is dropped whole (recorded as <c>dropped-profile-too-large</c>).
    /// Default: 65,536 (Adobe's documented 64 KB); 0 for no cap.</summary>
    /// <remarks>The limit is documented; what Adobe does above it, and how it counts bytes, is not (inferred).</remarks>
    public int MaxProfileBytes { get; set; } = 64 * 1024;

    /// <summary>Gets or sets the IMS organization id the Privacy Service requires in <c>x-gw-ims-org-id</c> (and in
    /// <c>companyContexts</c>; another organization's jobs end "company context not applicable"). Default: none, meaning any
    /// organization id is accepted and the one in the header is the emulated one.</summary>
    public string? ImsOrgId { get; set; }

    /// <summary>Gets or sets how long a Privacy Service job stays <c>processing</c> before it completes (a deletion erases the
    /// profile then). Default: 2 seconds.</summary>
    /// <remarks>Adobe: products answer within 30 days (<c>--realistic</c> uses one day).</remarks>
    public TimeSpan PrivacyProcessingDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets whether the profile endpoints require <c>Authorization: Bearer {profile token}</c> ("Require
    /// Authentication" in the Target UI), independently of the IMS flow. Default: <see langword="null"/>, meaning required when
    /// <see cref="AuthorizationToken"/> or <see cref="ImsClientId"/> is set.</summary>
    public bool? RequireAuthentication { get; set; }

    /// <summary>Gets or sets how long <see cref="AuthorizationToken"/> is valid without the IMS flow; after it the profile
    /// endpoints answer 403. Default: <see langword="null"/> (it never expires).</summary>
    public TimeSpan? AuthorizationTokenLifetime { get; set; }

    /// <summary>Gets or sets how many received requests are kept for inspection (oldest dropped first). Default: 10,000.</summary>
    public int MaxRecordedRequests { get; set; } = 10_000;

    /// <summary>Gets the profiles that exist when the emulator starts (the Single Profile Update API never creates one).</summary>
    public IList<ProfileSeed> Profiles { get; } = new List<ProfileSeed>();

    /// <summary>Gets or sets random fault injection; <see langword="null"/> (the default) injects none.</summary>
    public RandomFaultOptions? RandomFaults { get; set; }

    /// <summary>Sets every delay to Adobe's documented order of magnitude: propagation 1 hour, batch processing 10 minutes,
    /// profile creation 1 hour, privacy jobs 1 day (<c>--realistic</c>). Drive them with a fake <see cref="TimeProvider"/>.</summary>
    /// <returns>These options.</returns>
    public TargetEmulatorOptions UseRealisticDelays()
    {
        PropagationDelay = TimeSpan.FromHours(1);
        BatchProcessingDelay = TimeSpan.FromMinutes(10);
        ProfileCreationDelay = TimeSpan.FromHours(1);
        PrivacyProcessingDelay = TimeSpan.FromDays(1);
        return this;
    }

    /// <summary>Gets or sets the clock for quota windows, propagation and timestamps. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
