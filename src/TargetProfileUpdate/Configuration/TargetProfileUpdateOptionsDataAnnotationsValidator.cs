using System.Collections.Generic;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Checks the DataAnnotations of <see cref="TargetProfileUpdateOptions"/> and, through <see cref="ValidateObjectMembersAttribute"/>,
/// of its nested <see cref="AdobeImsOptions"/>, <see cref="ProfileApiResilienceOptions"/> and <see cref="ProfileUpdateQuotaOptions"/>,
/// with the validator the Microsoft.Extensions.Options source generator writes (no reflection: trimming- and Native-AOT-safe).
/// </summary>
/// <remarks>
/// The 8.0 generator's range check ignores <c>ErrorMessage</c> and names the member by its C# path
/// (<c>The field TargetProfileUpdateOptions.Resilience.AttemptTimeout must be between 00:00:00.0100000 and 1.00:00:00.</c>);
/// this wrapper rewrites that path into the configuration key (<c>TargetProfileUpdate:Resilience:AttemptTimeout must be between …</c>),
/// then to the account's real path (<see cref="ConfigurationOrigin"/>, for example <c>Target:Retail:Resilience:AttemptTimeout</c>),
/// so every message names the key to fix and the allowed range. The messages carry limits, never a value.
/// </remarks>
internal sealed partial class TargetProfileUpdateOptionsDataAnnotationsValidator : IValidateOptions<TargetProfileUpdateOptions>
{
    private static readonly Generated Inner = new();

    public static TargetProfileUpdateOptionsDataAnnotationsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, TargetProfileUpdateOptions options)
    {
        // The name is not passed on to the generated code: the messages are rewritten to the account's real keys below.
        var result = Inner.Validate(null, options);
        if (!result.Failed)
        {
            return result;
        }

        var failures = new List<string>();
        foreach (string failure in result.Failures ?? [])
        {
            failures.Add(ConfigurationOrigin.Describe(ToConfigurationKeys(failure), name, options));
        }

        return ValidateOptionsResult.Fail(failures);
    }

    /// <summary>"Member: The field TargetProfileUpdateOptions.A.B must …" becomes "TargetProfileUpdate:A:B must …".</summary>
    internal static string ToConfigurationKeys(string failure)
    {
        string text = MemberPrefix().Replace(failure, string.Empty, 1);
        text = FieldPath().Replace(text, static m => TargetProfileUpdateOptions.SectionName + m.Groups[1].Value.Replace('.', ':'));
        return text;
    }

    [GeneratedRegex(@"^\w+(, \w+)*: ", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPrefix();

    [GeneratedRegex(@"(?:The field )?\bTargetProfileUpdateOptions((?:\.\w+)+)", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPath();

    /// <summary>The source-generated DataAnnotations validator.</summary>
    [OptionsValidator]
    private sealed partial class Generated : IValidateOptions<TargetProfileUpdateOptions>;
}
