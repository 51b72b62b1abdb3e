using System;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Configuration;

namespace TargetProfileUpdate;

/// <summary>
/// Settings of the profile update client. Bind them from the <see cref="SectionName"/> configuration
/// section or set them in code; they are validated when the host starts (or when a
/// <see cref="ProfileUpdateClient"/> is constructed without DI), with messages that name the field.
/// </summary>
public sealed class TargetProfileUpdateOptions
{
    /// <summary>The configuration section the options are usually bound from: <c>TargetProfileUpdate</c>.</summary>
    public const string SectionName = "TargetProfileUpdate";

    /// <summary>Gets or sets your Adobe Target client code (a single DNS label, for example <c>acme</c>). Required.</summary>
    [Required(ErrorMessage = OptionKeys.Root + "ClientCode is required (your Adobe Target client code, for example 'acme').")]
    public string ClientCode { get; set; } = string.Empty;

    /// <summary>Gets or sets the server's base address. Default: <c>https://{ClientCode}.tt.omtrdc.net/</c>.
    /// Plain <c>http://</c> is accepted only for a loopback host (the emulator).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the profile API token, sent as <c>Authorization: Bearer {token}</c> when
    /// "Require Authentication" is on for your account. Default: none (no header is sent).</summary>
    public string? AuthorizationToken { get; set; }

    /// <summary>Gets or sets how the HTTP method is chosen. Default: <see cref="ProfileUpdateMethod.Auto"/>.</summary>
    [EnumDataType(typeof(ProfileUpdateMethod), ErrorMessage = OptionKeys.Root + "Method must be Auto, Get or Post.")]
    public ProfileUpdateMethod Method { get; set; } = ProfileUpdateMethod.Auto;

    /// <summary>Gets or sets the largest GET request, counted as the bytes of the whole absolute URL
    /// (scheme, host, path and query, all ASCII once encoded). Default: 8000 (Adobe documents 8 KB).</summary>
    [Range(1, int.MaxValue)]
    public int MaxGetRequestBytes { get; set; } = 8000;

    /// <summary>Gets or sets the largest POST body, counted as the bytes of the form body
    /// (<c>mboxPC=…&amp;profile.name=value…</c>). Default: 60000 (Adobe documents 60 KB).</summary>
    [Range(1, int.MaxValue)]
    public int MaxPostRequestBytes { get; set; } = 60000;

    /// <summary>Gets or sets the most connections the client opens to one server. Default: 100. Concurrent calls beyond it
    /// wait for a free connection (Adobe's edge is reached over HTTP/1.1, one call per connection at a time).</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerServer { get; set; } = 100;

    /// <summary>Gets or sets what the clients do, before sending, with an update or bulk row that breaks Target's attribute rules
    /// (reserved names, names that differ only by case, empty values, the 64 KB budget, …; docs/profile-contract.md).
    /// Default: <see cref="ProfileLintMode.Warn"/> (sent, and logged once per attribute name).</summary>
    [EnumDataType(typeof(ProfileLintMode), ErrorMessage = OptionKeys.Root + "Linting must be Warn, Strict or Off.")]
    public ProfileLintMode Linting { get; set; } = ProfileLintMode.Warn;

    /// <summary>Gets or sets how long <see cref="IProfileAttributeCatalog"/> keeps the tenant's attribute names before it asks
    /// the Admin API again (each call counts against the 50 admin and bulk calls per minute). Default: 15 minutes; 1 second
    /// to 1 day.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), "00:00:01", OptionKeys.OneDay, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = OptionKeys.Root + "AttributeCatalogCacheDuration must be from 1 second to 1 day.")]
    public TimeSpan AttributeCatalogCacheDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets the Adobe IMS credentials used to fetch and refresh the profile API token automatically
    /// (used when <see cref="AdobeImsOptions.ClientId"/> is set; otherwise <see cref="AuthorizationToken"/> is sent as is).</summary>
    [Required(ErrorMessage = OptionKeys.Root + "AdobeIms must not be null.")]
    [ValidateObjectMembers]
    public AdobeImsOptions AdobeIms { get; set; } = new();

    /// <summary>Gets the retry, timeout and circuit-breaker settings.</summary>
    [Required(ErrorMessage = OptionKeys.Root + "Resilience must not be null.")]
    [ValidateObjectMembers]
    public ProfileApiResilienceOptions Resilience { get; set; } = new();

    /// <summary>Gets the retry, timeout and circuit-breaker settings of bulk batch status polls (<c>GetStatusAsync</c>,
    /// <c>WaitForCompletionAsync</c>): short, so a slow status server cannot hang a poll. They are not the upload's (whose
    /// attempt gets at least 10 minutes and whole call at least 30). Defaults: those of <see cref="ProfileApiResilienceOptions"/>
    /// (<c>AttemptTimeout</c> 10 s, <c>TotalTimeout</c> 30 s, 3 retries); configuration key <c>BulkStatusResilience</c>.</summary>
    [Required(ErrorMessage = OptionKeys.Root + "BulkStatusResilience must not be null.")]
    [ValidateObjectMembers]
    public ProfileApiResilienceOptions BulkStatusResilience { get; set; } = new();

    /// <summary>Gets the client-side quota guard and pacing settings.</summary>
    [Required(ErrorMessage = OptionKeys.Root + "Quota must not be null.")]
    [ValidateObjectMembers]
    public ProfileUpdateQuotaOptions Quota { get; set; } = new();

    /// <summary>Gets the Adobe Privacy Service settings (IMS org id, base address) and the suppression list's hash secret.</summary>
    [Required(ErrorMessage = OptionKeys.Root + "Privacy must not be null.")]
    [ValidateObjectMembers]
    public ProfilePrivacyOptions Privacy { get; set; } = new();

    /// <summary>Gets the base address in effect: <see cref="BaseAddress"/> or the Adobe edge of <see cref="ClientCode"/>.</summary>
    /// <returns>The absolute base address, ending with <c>/</c>.</returns>
    internal Uri GetEffectiveBaseAddress()
    {
        if (BaseAddress is null)
        {
            return new Uri("https://" + ClientCode + ".tt.omtrdc.net/", UriKind.Absolute);
        }

        string text = BaseAddress.OriginalString;
        return text.EndsWith('/') ? BaseAddress : new Uri(text + "/", UriKind.Absolute);
    }

    /// <summary>Where these options were bound from and what binding found wrong; <see langword="null"/> when set in code.
    /// A field, so the configuration binder never sees it.</summary>
    internal ConfigurationOrigin? Origin;

    /// <summary>Describes the options without the token, the IMS credentials, the hash secret, or any user info or query
    /// in an endpoint URL.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ClientCode = {ClientCode}, BaseAddress = {LoggableUri.Describe(BaseAddress)}, AuthorizationToken = {(AuthorizationToken is null ? "(none)" : "***")}, Method = {Method}, MaxGetRequestBytes = {MaxGetRequestBytes}, MaxPostRequestBytes = {MaxPostRequestBytes}, MaxConnectionsPerServer = {MaxConnectionsPerServer}, Linting = {Linting}, AttributeCatalogCacheDuration = {AttributeCatalogCacheDuration}, AdobeIms = {{ {AdobeIms} }}, Resilience = {{ {Resilience} }}, BulkStatusResilience = {{ {BulkStatusResilience} }}, Quota = {{ {Quota} }}, Privacy = {{ {Privacy} }}");
}
