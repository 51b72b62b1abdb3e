using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Validates <see cref="TargetProfileUpdateOptions"/>: used by DI at host start (<c>ValidateOnStart</c>)
/// and by the DI-free <see cref="ProfileUpdateClient"/> constructor, so both reject the same settings.
/// Messages name the field and never contain the token.
/// </summary>
internal sealed class TargetProfileUpdateOptionsValidator : IValidateOptions<TargetProfileUpdateOptions>
{
    public static TargetProfileUpdateOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, TargetProfileUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string P = TargetProfileUpdateOptions.SectionName + ":";

        if (string.IsNullOrEmpty(options.ClientCode))
        {
            failures.Add(P + "ClientCode is required (your Adobe Target client code, for example 'acme').");
        }
        else if (!IsDnsLabel(options.ClientCode))
        {
            failures.Add(P + "ClientCode must be a single DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen.");
        }

        if (options.BaseAddress is { } baseAddress)
        {
            if (!baseAddress.IsAbsoluteUri)
            {
                failures.Add(P + "BaseAddress must be an absolute URI.");
            }
            else if (baseAddress.Scheme != Uri.UriSchemeHttps && !(baseAddress.Scheme == Uri.UriSchemeHttp && baseAddress.IsLoopback))
            {
                failures.Add(P + "BaseAddress must use https (plain http is allowed only for a loopback host such as the emulator).");
            }
            else if (!string.IsNullOrEmpty(baseAddress.Query) || !string.IsNullOrEmpty(baseAddress.Fragment) || !string.IsNullOrEmpty(baseAddress.UserInfo))
            {
                failures.Add(P + "BaseAddress must not carry a query, a fragment or user info.");
            }
        }

        if (options.AuthorizationToken is { } token && !IsValidToken(token))
        {
            failures.Add(P + "AuthorizationToken must be a non-empty token of visible ASCII characters (no spaces, CR, LF or NUL), or null for no authentication.");
        }

        if (!Enum.IsDefined(options.Method))
        {
            failures.Add(P + "Method must be Auto, Get or Post.");
        }

        if (options.MaxGetRequestBytes <= 0)
        {
            failures.Add(P + "MaxGetRequestBytes must be positive (default 8000).");
        }

        if (options.MaxPostRequestBytes <= 0)
        {
            failures.Add(P + "MaxPostRequestBytes must be positive (default 60000).");
        }

        if (options.MaxConnectionsPerServer is < 1 or > 10_000)
        {
            failures.Add(P + "MaxConnectionsPerServer must be between 1 and 10000 (default 100).");
        }

        ValidateResilience(options.Resilience, failures);
        ValidateQuota(options.Quota, failures);
        ValidateIms(options.AdobeIms, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when the options are invalid, as DI does.</summary>
    public static void ThrowIfInvalid(TargetProfileUpdateOptions options)
    {
        var result = Instance.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TargetProfileUpdateOptions), result.Failures);
        }
    }

    private static void ValidateResilience(ProfileUpdateResilienceOptions? r, List<string> failures)
    {
        const string P = TargetProfileUpdateOptions.SectionName + ":Resilience:";
        if (r is null)
        {
            failures.Add(P.TrimEnd(':') + " must not be null.");
            return;
        }

        if (r.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add(P + "MaxRetryAttempts must be between 0 and 10.");
        }

        // The ranges Polly accepts, checked here so a value it would refuse fails at host start, naming the key.
        RequireRange(r.BaseDelay, "BaseDelay", TimeSpan.FromTicks(1), OneDay, failures);
        RequireRange(r.MaxDelay, "MaxDelay", TimeSpan.FromTicks(1), OneDay, failures);
        RequireRange(r.AttemptTimeout, "AttemptTimeout", TimeSpan.FromMilliseconds(10), OneDay, failures);
        RequireRange(r.TotalTimeout, "TotalTimeout", TimeSpan.FromMilliseconds(10), OneDay, failures);
        if (r.MaxDelay < r.BaseDelay)
        {
            failures.Add(P + "MaxDelay must not be shorter than BaseDelay.");
        }

        if (r.TotalTimeout < r.AttemptTimeout)
        {
            failures.Add(P + "TotalTimeout must not be shorter than AttemptTimeout.");
        }

        if (r.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add(P + "MaxRetryAfter must not be negative.");
        }

        if (r.CircuitBreakerEnabled)
        {
            if (!(r.CircuitBreakerFailureRatio > 0 && r.CircuitBreakerFailureRatio <= 1))
            {
                failures.Add(P + "CircuitBreakerFailureRatio must be above 0 and at most 1.");
            }

            if (r.CircuitBreakerMinimumThroughput < 2)
            {
                failures.Add(P + "CircuitBreakerMinimumThroughput must be at least 2.");
            }

            RequireRange(r.CircuitBreakerSamplingDuration, "CircuitBreakerSamplingDuration", TimeSpan.FromMilliseconds(500), OneDay, failures);
            RequireRange(r.CircuitBreakerBreakDuration, "CircuitBreakerBreakDuration", TimeSpan.FromMilliseconds(500), OneDay, failures);
        }

        static void RequireRange(TimeSpan value, string field, TimeSpan min, TimeSpan max, List<string> failures)
        {
            if (value < min || value > max)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{P}{field} must be a duration from {Describe(min)} to {Describe(max)}."));
            }
        }

        static string Describe(TimeSpan t) => t == OneDay ? "1 day" : t.TotalMilliseconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.###} ms")
            : "1 tick";
    }

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private static void ValidateIms(AdobeImsOptions? ims, List<string> failures)
    {
        const string P = TargetProfileUpdateOptions.SectionName + ":AdobeIms:";
        if (ims is null)
        {
            failures.Add(P.TrimEnd(':') + " must not be null.");
            return;
        }

        if (string.IsNullOrEmpty(ims.ClientId))
        {
            return;
        }

        if (string.IsNullOrEmpty(ims.ClientSecret))
        {
            failures.Add(P + "ClientSecret is required when AdobeIms:ClientId is set (the OAuth Server-to-Server credential's secret).");
        }

        if (string.IsNullOrWhiteSpace(ims.Scopes))
        {
            failures.Add(P + "Scopes is required when AdobeIms:ClientId is set (comma-separated, as the Developer Console shows them).");
        }

        if (string.IsNullOrWhiteSpace(ims.Tenant))
        {
            failures.Add(P + "Tenant is required when AdobeIms:ClientId is set (your Target tenant, as in https://mc.adobe.io/{tenant}/target).");
        }

        CheckEndpoint(ims.ImsTokenEndpoint, "ImsTokenEndpoint");
        CheckEndpoint(ims.AdminApiBaseAddress, "AdminApiBaseAddress");
        if (ims.RefreshBeforeExpiry < TimeSpan.Zero || ims.RefreshBeforeExpiry > TimeSpan.FromHours(12))
        {
            failures.Add(P + "RefreshBeforeExpiry must be a duration from 0 to 12 hours (default 5 minutes).");
        }

        void CheckEndpoint(Uri? uri, string field)
        {
            if (uri is null || !uri.IsAbsoluteUri)
            {
                failures.Add(P + field + " must be an absolute URI.");
            }
            else if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            {
                failures.Add(P + field + " must use https (plain http is allowed only for a loopback host such as the emulator).");
            }
        }
    }

    private static void ValidateQuota(ProfileUpdateQuotaOptions? q, List<string> failures)
    {
        const string P = TargetProfileUpdateOptions.SectionName + ":Quota:";
        if (q is null)
        {
            failures.Add(P.TrimEnd(':') + " must not be null.");
            return;
        }

        if (q.PermitLimit <= 0)
        {
            failures.Add(P + "PermitLimit must be positive (default 1000000).");
        }

        if (q.Window <= TimeSpan.Zero)
        {
            failures.Add(P + "Window must be a positive duration (default 24 hours).");
        }

        if (q.RequestsPerSecond is { } rps && !(rps > 0 && double.IsFinite(rps)))
        {
            failures.Add(P + "RequestsPerSecond must be a positive number, or null for no pacing.");
        }
    }

    private static bool IsDnsLabel(string value)
    {
        if (value.Length is 0 or > 63 || value[0] == '-' || value[^1] == '-')
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
