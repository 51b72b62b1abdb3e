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
    public string? AuthorizationToken { get; set; }

    /// <summary>Gets or sets the longest GET request URL (absolute: scheme, host, path and query), in bytes; longer gets 414. Default: 8192.</summary>
    public int MaxGetRequestBytes { get; set; } = 8 * 1024;

    /// <summary>Gets or sets the longest POST body, in bytes; longer gets 413. Default: 61440.</summary>
    public int MaxPostRequestBytes { get; set; } = 60 * 1024;

    /// <summary>Gets or sets how many update requests the account may make per <see cref="QuotaWindow"/>; beyond it, 429. Default: 1,000,000.</summary>
    public int QuotaLimit { get; set; } = 1_000_000;

    /// <summary>Gets or sets the rolling quota window. Default: 24 hours.</summary>
    public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how long an accepted update takes to become visible to profile fetch. Default: zero.</summary>
    public TimeSpan PropagationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how many received requests are kept for inspection (oldest dropped first). Default: 10,000.</summary>
    public int MaxRecordedRequests { get; set; } = 10_000;

    /// <summary>Gets the profiles that exist when the emulator starts (the Single Profile Update API never creates one).</summary>
    public IList<ProfileSeed> Profiles { get; } = new List<ProfileSeed>();

    /// <summary>Gets or sets random fault injection; <see langword="null"/> (the default) injects none.</summary>
    public RandomFaultOptions? RandomFaults { get; set; }

    /// <summary>Gets or sets the clock for quota windows, propagation and timestamps. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
