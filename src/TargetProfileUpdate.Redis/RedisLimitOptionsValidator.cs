using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Redis;

/// <summary>
/// Validates <see cref="RedisLimitOptions"/>: its DataAnnotations through the validator the Microsoft.Extensions.Options
/// source generator writes (no reflection), plus the rules that span fields. DI runs it at host start
/// (<c>ValidateOnStart</c>); the <see cref="RedisAccountLimits"/> constructor runs it too, so both refuse the same settings.
/// </summary>
internal sealed partial class RedisLimitOptionsValidator : IValidateOptions<RedisLimitOptions>
{
    private static readonly Generated Annotations = new();

    public static RedisLimitOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, RedisLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var annotations = Annotations.Validate(null, options);
        if (annotations.Failed)
        {
            foreach (string failure in annotations.Failures ?? [])
            {
                // "OperationTimeout: The field RedisLimitOptions.OperationTimeout must be …" → "RedisLimitOptions.OperationTimeout must be …"
                int colon = failure.IndexOf(": ", StringComparison.Ordinal);
                failures.Add((colon < 0 ? failure : failure[(colon + 2)..]).Replace("The field ", string.Empty, StringComparison.Ordinal));
            }
        }

        if (options.ConnectionMultiplexerFactory is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Set RedisLimitOptions.ConnectionString or RedisLimitOptions.ConnectionMultiplexerFactory.");
        }

        if (!string.IsNullOrEmpty(options.KeyPrefix) && !options.KeyPrefix.Contains(RedisLimitOptions.ClientCodePlaceholder, StringComparison.Ordinal))
        {
            failures.Add("RedisLimitOptions.KeyPrefix must contain {clientCode}: without it two accounts would share one count.");
        }

        if (failures.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        if (!string.IsNullOrEmpty(name))
        {
            failures = failures.ConvertAll(f => "Account '" + name + "': " + f);
        }

        return ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every failure.</summary>
    public static void ThrowIfInvalid(RedisLimitOptions options)
    {
        var result = Instance.Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException(string.Join(" ", result.Failures ?? []), nameof(options));
        }
    }

    /// <summary>The source-generated DataAnnotations validator.</summary>
    [OptionsValidator]
    private sealed partial class Generated : IValidateOptions<RedisLimitOptions>;
}
