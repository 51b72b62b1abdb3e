using System;
using System.Collections.Generic;
using System.Text;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Where an account's options were bound from (the section's real path, empty for a configuration root) and what the
/// binding found wrong. Options set in code have none, and their messages name the default section's keys.
/// </summary>
internal sealed record ConfigurationOrigin(string Path, IReadOnlyList<string> Failures)
{
    /// <summary>
    /// Rewrites a validator's message from the default section's keys (<c>TargetProfileUpdate:Resilience:…</c>) to the
    /// account's real ones (<c>Target:Retail:Resilience:…</c>), and names a named account.
    /// </summary>
    public static string Describe(string failure, string? name, TargetProfileUpdateOptions options)
    {
        if (options.Origin is { } origin && origin.Path != TargetProfileUpdateOptions.SectionName)
        {
            failure = failure.Replace(OptionKeys.Root, origin.Path.Length == 0 ? string.Empty : origin.Path + ":", StringComparison.Ordinal);
        }

        return Named(failure, name);
    }

    /// <summary>Prefixes a named account's name: <c>Account 'retail': …</c>.</summary>
    public static string Named(string failure, string? name) =>
        string.IsNullOrEmpty(name) ? failure : new StringBuilder("Account '").Append(name).Append("': ").Append(failure).ToString();
}
