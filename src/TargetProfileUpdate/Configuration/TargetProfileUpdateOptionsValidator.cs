using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// The rules DataAnnotations cannot express (formats and rules that span fields) of <see cref="TargetProfileUpdateOptions"/>.
/// Ranges and required values are attributes on the options, checked by <see cref="TargetProfileUpdateOptionsDataAnnotationsValidator"/>.
/// DI runs both at host start (<c>ValidateOnStart</c>); the DI-free <see cref="ProfileUpdateClient"/> constructor runs both
/// through <see cref="ThrowIfInvalid"/>, so both reject the same settings. Messages name the key and never contain a secret.
/// </summary>
internal sealed class TargetProfileUpdateOptionsValidator : IValidateOptions<TargetProfileUpdateOptions>
{
    public static TargetProfileUpdateOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, TargetProfileUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // Empty is the [Required] attribute's message; only a present value is checked for its form here.
        if (!string.IsNullOrEmpty(options.ClientCode) && !IsDnsLabel(options.ClientCode))
        {
            failures.Add(OptionKeys.Root + "ClientCode must be a single DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen.");
        }

        if (options.BaseAddress is { } baseAddress)
        {
            if (CheckEndpoint(baseAddress, OptionKeys.Root + "BaseAddress") is { } failure)
            {
                failures.Add(failure);
            }
            else if (!string.IsNullOrEmpty(baseAddress.Query) || !string.IsNullOrEmpty(baseAddress.Fragment) || !string.IsNullOrEmpty(baseAddress.UserInfo))
            {
                failures.Add(OptionKeys.Root + "BaseAddress must not carry a query, a fragment or user info.");
            }
        }

        if (options.AuthorizationToken is { } token && !IsValidToken(token))
        {
            failures.Add(OptionKeys.Root + "AuthorizationToken must be a non-empty token of visible ASCII characters (no spaces, CR, LF or NUL), or null for no authentication.");
        }

        ValidateResilience(options.Resilience, OptionKeys.Resilience, failures);
        ValidateResilience(options.BulkStatusResilience, OptionKeys.Root + "BulkStatusResilience:", failures);

        if (options.AdobeIms is { ClientId.Length: > 0 } ims)
        {
            ValidateIms(ims, failures);
        }

        if (options.Privacy is { } privacy)
        {
            ValidatePrivacy(privacy, failures);
        }

        if (failures.Count == 0 && options.Origin is not { Failures.Count: > 0 })
        {
            return ValidateOptionsResult.Success;
        }

        // What binding found (unknown keys, bare-number durations, malformed values) comes first, already in the real paths.
        var described = new List<string>();
        foreach (string failure in options.Origin?.Failures ?? [])
        {
            described.Add(ConfigurationOrigin.Named(failure, name));
        }

        foreach (string failure in failures)
        {
            described.Add(ConfigurationOrigin.Describe(failure, name, options));
        }

        return ValidateOptionsResult.Fail(described);
    }

    private static void ValidatePrivacy(ProfilePrivacyOptions privacy, List<string> failures)
    {
        if (privacy.ImsOrgId is { } org && (string.IsNullOrWhiteSpace(org) || !org.EndsWith("@AdobeOrg", StringComparison.Ordinal) || !IsValidToken(org)))
        {
            failures.Add(OptionKeys.Privacy + "ImsOrgId must be your IMS organization id, ending with '@AdobeOrg' (Adobe Admin Console or Developer Console), without spaces.");
        }

        // A null address is the [Required] attribute's message.
        if (privacy.BaseAddress is { } address)
        {
            if (CheckEndpoint(address, OptionKeys.Privacy + "BaseAddress") is { } failure)
            {
                failures.Add(failure);
            }
            else if (!string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment) || !string.IsNullOrEmpty(address.UserInfo))
            {
                failures.Add(OptionKeys.Privacy + "BaseAddress must not carry a query, a fragment or user info.");
            }
        }

        if (privacy.HashSecret is { } secret && secret.Length < ProfilePrivacyOptions.MinHashSecretLength)
        {
            failures.Add(OptionKeys.Privacy + "HashSecret must be at least 32 characters (a random secret from a secret store), or unset for a random secret per process.");
        }
    }

    /// <summary>
    /// Runs the DataAnnotations validator and this one, as DI does, and throws <see cref="OptionsValidationException"/>
    /// with every failure when the options are invalid.
    /// </summary>
    public static void ThrowIfInvalid(TargetProfileUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(TargetProfileUpdateOptionsDataAnnotationsValidator.Instance.Validate(Options.DefaultName, options));
        builder.AddResult(Instance.Validate(Options.DefaultName, options));
        var result = builder.Build();
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TargetProfileUpdateOptions), result.Failures);
        }
    }

    private static void ValidateResilience(ProfileApiResilienceOptions? r, string prefix, List<string> failures)
    {
        if (r is null)
        {
            return;
        }

        if (r.MaxDelay < r.BaseDelay)
        {
            failures.Add(prefix + "MaxDelay must not be shorter than " + prefix + "BaseDelay.");
        }

        if (r.Enabled && r.TotalTimeout < r.AttemptTimeout)
        {
            failures.Add(prefix + "TotalTimeout must not be shorter than " + prefix + "AttemptTimeout.");
        }
    }

    private static void ValidateIms(AdobeImsOptions ims, List<string> failures)
    {
        if (string.IsNullOrEmpty(ims.ClientSecret))
        {
            failures.Add(OptionKeys.AdobeIms + "ClientSecret is required when " + OptionKeys.AdobeIms + "ClientId is set (the OAuth Server-to-Server credential's secret).");
        }

        if (string.IsNullOrWhiteSpace(ims.Scopes))
        {
            failures.Add(OptionKeys.AdobeIms + "Scopes is required when " + OptionKeys.AdobeIms + "ClientId is set (comma-separated, as the Developer Console shows them).");
        }

        if (string.IsNullOrWhiteSpace(ims.Tenant))
        {
            failures.Add(OptionKeys.AdobeIms + "Tenant is required when " + OptionKeys.AdobeIms + "ClientId is set (your Target tenant, as in https://mc.adobe.io/{tenant}/target).");
        }

        // A null endpoint is the [Required] attribute's message.
        if (ims.ImsTokenEndpoint is { } imsEndpoint && (CheckEndpoint(imsEndpoint, OptionKeys.AdobeIms + "ImsTokenEndpoint") ?? CheckNoUserInfo(imsEndpoint, OptionKeys.AdobeIms + "ImsTokenEndpoint")) is { } imsFailure)
        {
            failures.Add(imsFailure);
        }

        if (ims.AdminApiBaseAddress is { } adminApi && (CheckEndpoint(adminApi, OptionKeys.AdobeIms + "AdminApiBaseAddress") ?? CheckNoUserInfo(adminApi, OptionKeys.AdobeIms + "AdminApiBaseAddress")) is { } adminFailure)
        {
            failures.Add(adminFailure);
        }
    }

    /// <summary>
    /// Refuses user info (<c>https://user:password@host/</c>): a password in an endpoint URL would be sent to the host and
    /// kept in configuration dumps; the credentials belong in their own settings. The message never repeats the URL.
    /// </summary>
    private static string? CheckNoUserInfo(Uri uri, string key) =>
        string.IsNullOrEmpty(uri.UserInfo)
            ? null
            : key + " must not carry user info (user:password@): put credentials in their own settings (AdobeIms:ClientId, AdobeIms:ClientSecret), never in a URL.";

    /// <summary>An absolute https address, or http for a loopback host (the emulator); otherwise the failure naming <paramref name="key"/>.</summary>
    private static string? CheckEndpoint(Uri uri, string key)
    {
        if (!uri.IsAbsoluteUri)
        {
            return key + " must be an absolute URI.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            return key + " must use https (plain http is allowed only for a loopback host such as the emulator).";
        }

        return null;
    }

    private static bool IsDnsLabel(string value)
    {
        if (value.Length > 63 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidToken(string token)
    {
        if (token.Length == 0)
        {
            return false;
        }

        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
