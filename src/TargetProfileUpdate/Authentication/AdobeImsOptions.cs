using System;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TargetProfileUpdate.Configuration;

namespace TargetProfileUpdate;

/// <summary>
/// Adobe IMS OAuth Server-to-Server credentials, used to fetch and refresh the profile API token automatically
/// (configuration section <c>AdobeIms</c>). Used when <see cref="ClientId"/> is set. Create the credential in the Adobe
/// Developer Console: a project with the Adobe Target API and an "OAuth Server-to-Server" credential; copy its client id,
/// client secret and scopes.
/// </summary>
public sealed class AdobeImsOptions
{
    /// <summary>Gets or sets the credential's client id (also sent as <c>X-Api-Key</c>). Setting it turns the IMS flow on.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the credential's client secret. A secret: keep it in a secret store, never in source.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the scopes, comma-separated exactly as the Developer Console shows them
    /// (for example <c>openid,AdobeID,target_sdk,additional_info.projectedProductContext,read_organizations,additional_info.roles</c>).</summary>
    public string? Scopes { get; set; }

    /// <summary>Gets or sets your Target tenant (the part of <c>https://mc.adobe.io/{tenant}/target/…</c>).</summary>
    public string? Tenant { get; set; }

    /// <summary>Gets or sets the IMS token endpoint. Default: <c>https://ims-na1.adobelogin.com/ims/token/v3</c>.
    /// Plain <c>http://</c> is accepted only for a loopback host (the emulator); user info (<c>user:password@</c>) is refused
    /// at validation, and <see cref="ToString"/> never prints it.</summary>
    [Required(ErrorMessage = OptionKeys.AdobeIms + "ImsTokenEndpoint must not be null.")]
    public Uri ImsTokenEndpoint { get; set; } = new("https://ims-na1.adobelogin.com/ims/token/v3");

    /// <summary>Gets or sets the Target Admin API base address. Default: <c>https://mc.adobe.io/</c>.
    /// Plain <c>http://</c> is accepted only for a loopback host (the emulator); user info (<c>user:password@</c>) is refused
    /// at validation, and <see cref="ToString"/> never prints it.</summary>
    [Required(ErrorMessage = OptionKeys.AdobeIms + "AdminApiBaseAddress must not be null.")]
    public Uri AdminApiBaseAddress { get; set; } = new("https://mc.adobe.io/");

    /// <summary>Gets or sets how long before expiry a cached token is refreshed. Default: 5 minutes.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = OptionKeys.TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), OptionKeys.Zero, OptionKeys.TwelveHours, ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets whether the SDK may <em>generate</em> a profile token (Admin API <c>POST</c>) when the tenant has
    /// none yet. Default: <see langword="false"/>. Generating a token invalidates the token every other holder uses
    /// (other services, Target UI users' integrations): turn it on only for a tenant where no token exists yet.
    /// </summary>
    public bool CreateTokenIfMissing { get; set; }

    /// <summary>Describes the settings without the client id, the client secret, or any user info or query in the endpoint URLs.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ClientId = {(ClientId is null ? "(none)" : "***")}, ClientSecret = {(ClientSecret is null ? "(none)" : "***")}, Scopes = {Scopes}, Tenant = {Tenant}, ImsTokenEndpoint = {LoggableUri.Describe(ImsTokenEndpoint)}, AdminApiBaseAddress = {LoggableUri.Describe(AdminApiBaseAddress)}, RefreshBeforeExpiry = {RefreshBeforeExpiry}, CreateTokenIfMissing = {CreateTokenIfMissing}");
}
