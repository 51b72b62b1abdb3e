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

        ValidateResilience(options.Resilience, failures);
        ValidateQuota(options.Quota, failures);

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

        RequirePositive(r.BaseDelay, "BaseDelay", failures);
        RequirePositive(r.MaxDelay, "MaxDelay", failures);
        RequirePositive(r.AttemptTimeout, "AttemptTimeout", failures);
        RequirePositive(r.TotalTimeout, "TotalTimeout", failures);
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

            if (r.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
            {
                failures.Add(P + "CircuitBreakerSamplingDuration must be at least 500 ms.");
            }

            if (r.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
            {
                failures.Add(P + "CircuitBreakerBreakDuration must be at least 500 ms.");
            }
        }

        static void RequirePositive(TimeSpan value, string field, List<string> failures)
        {
            if (value <= TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{P}{field} must be a positive duration."));
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
