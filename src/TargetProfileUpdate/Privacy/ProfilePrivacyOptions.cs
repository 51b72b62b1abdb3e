using System;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using TargetProfileUpdate.Configuration;

namespace TargetProfileUpdate;

/// <summary>
/// Settings of the account's Adobe Privacy Service calls (<see cref="IProfilePrivacyClient"/>) and of its suppression list
/// (<see cref="ISuppressionList"/>): configuration section <c>TargetProfileUpdate:Privacy</c>.
/// </summary>
/// <remarks>
/// Privacy Service uses the account's OAuth Server-to-Server credential (<see cref="TargetProfileUpdateOptions.AdobeIms"/>,
/// with the Privacy Service API added to its Developer Console project) and your IMS organization id. Defaults:
/// <see cref="BaseAddress"/> <c>https://platform.adobe.io/</c>, <see cref="SuppressOnDeletion"/> <see langword="true"/>,
/// no <see cref="HashSecret"/> (a random one per process, enough for the in-memory suppression list only).
/// </remarks>
public sealed class ProfilePrivacyOptions
{
    /// <summary>The shortest <see cref="HashSecret"/> accepted: 32 characters.</summary>
    public const int MinHashSecretLength = 32;

    /// <summary>Gets or sets your IMS organization id (for example <c>0123456789ABCDEF01234567@AdobeOrg</c>), sent as
    /// <c>x-gw-ims-org-id</c> and as the job's <c>imsOrgID</c> company context. Required to call Privacy Service.</summary>
    public string? ImsOrgId { get; set; }

    /// <summary>Gets or sets the Privacy Service base address. Default: <c>https://platform.adobe.io/</c> (jobs are at
    /// <c>{BaseAddress}data/core/privacy/jobs</c>). Plain <c>http://</c> is accepted only for a loopback host (the emulator); a
    /// query, a fragment or user info (<c>user:password@</c>) is refused at validation.</summary>
    [Required(ErrorMessage = OptionKeys.Privacy + "BaseAddress must not be null.")]
    public Uri BaseAddress { get; set; } = new("https://platform.adobe.io/");

    /// <summary>
    /// Gets or sets the account's secret for keyed hashes (HMAC-SHA256) of profile ids: the suppression list keeps only these
    /// hashes, and each Privacy Service user key is derived from it, so neither carries an id in clear. At least
    /// <see cref="MinHashSecretLength"/> characters; keep it in a secret store. Required for a shared (Redis) suppression list
    /// and for keys that stay the same across processes; when unset, a random secret per process is used.
    /// Changing it forgets every suppressed id.
    /// </summary>
    public string? HashSecret { get; set; }

    /// <summary>Gets or sets whether a deletion request adds its ids to the account's suppression list (before the request is
    /// sent), so no update, bulk row or deferred delivery reaches the erased person again. Default: <see langword="true"/>.</summary>
    public bool SuppressOnDeletion { get; set; } = true;

    /// <summary>Gets the Privacy Service base address, ending with <c>/</c>.</summary>
    internal Uri EffectiveBaseAddress
    {
        get
        {
            string text = BaseAddress.OriginalString;
            return text.EndsWith('/') ? BaseAddress : new Uri(text + "/", UriKind.Absolute);
        }
    }

    /// <summary>Describes the settings without the hash secret, or any user info or query in the base address.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ImsOrgId = {ImsOrgId ?? "(none)"}, BaseAddress = {LoggableUri.Describe(BaseAddress)}, HashSecret = {(HashSecret is null ? "(none)" : "***")}, SuppressOnDeletion = {SuppressOnDeletion}");
}
