using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Checks the DataAnnotations of <see cref="TargetProfileUpdateOptions"/> and, through <see cref="ValidateObjectMembersAttribute"/>,
/// of its nested <see cref="AdobeImsOptions"/>, <see cref="ProfileUpdateResilienceOptions"/> and <see cref="ProfileUpdateQuotaOptions"/>.
/// The body is written by the Microsoft.Extensions.Options source generator: no reflection, trimming- and Native-AOT-safe.
/// </summary>
[OptionsValidator]
internal sealed partial class TargetProfileUpdateOptionsDataAnnotationsValidator : IValidateOptions<TargetProfileUpdateOptions>
{
    public static TargetProfileUpdateOptionsDataAnnotationsValidator Instance { get; } = new();
}
