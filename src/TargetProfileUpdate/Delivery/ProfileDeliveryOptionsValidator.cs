using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Delivery;

/// <summary>Checks every field of <see cref="ProfileDeliveryOptions"/> at host start and lists every bad one at once, naming the account.</summary>
internal sealed class ProfileDeliveryOptionsValidator : IValidateOptions<ProfileDeliveryOptions>
{
    public static ProfileDeliveryOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, ProfileDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string prefix = "ProfileDeliveryOptions of account '" + (string.IsNullOrEmpty(name) ? "(default)" : name) + "': ";
        var failures = new List<string>();
        if (!Enum.IsDefined(options.UnknownProfiles))
        {
            failures.Add(prefix + "UnknownProfiles must be Send, Defer or Reject.");
        }

        Range(failures, prefix, nameof(options.ExistenceCacheTtl), options.ExistenceCacheTtl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(14));
        Range(failures, prefix, nameof(options.RecheckInterval), options.RecheckInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range(failures, prefix, nameof(options.GiveUpAfter), options.GiveUpAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(90));
        Range(failures, prefix, nameof(options.VerifyAfter), options.VerifyAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(2));
        if (options.GiveUpAfter < options.RecheckInterval)
        {
            failures.Add(prefix + "GiveUpAfter must not be shorter than RecheckInterval.");
        }

        Range(failures, prefix, nameof(options.ExistenceCacheSize), options.ExistenceCacheSize, 16, 10_000_000);
        Range(failures, prefix, nameof(options.MaxPendingUpdates), options.MaxPendingUpdates, 1, 100_000_000);
        Range(failures, prefix, nameof(options.RecheckConcurrency), options.RecheckConcurrency, 1, 256);
        if (!(options.VerifySampleRate is >= 0 and <= 1))
        {
            failures.Add(prefix + "VerifySampleRate must be between 0 and 1.");
        }

        if (!(options.MinimumLandingRate is >= 0 and <= 1))
        {
            failures.Add(prefix + "MinimumLandingRate must be between 0 and 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string prefix, string field, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{field} must be between {min} and {max}; it is {value}."));
        }
    }

    private static void Range(List<string> failures, string prefix, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{field} must be between {min:N0} and {max:N0}; it is {value:N0}."));
        }
    }
}
