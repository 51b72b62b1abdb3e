using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using TargetProfileUpdate.Contract;

namespace TargetProfileUpdate.Generators;

/// <summary>The compile-time rules of the shared table, as Roslyn descriptors (same ids, titles and messages as the run-time linter).</summary>
internal static class Descriptors
{
    public const string Category = "TargetProfileUpdate";

    private const string HelpLink = "https://github.com/targetprofileupdate/TargetProfileUpdate/blob/main/docs/profile-contract.md#rules";

    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = Create();

    private static Dictionary<string, DiagnosticDescriptor> Create()
    {
        var byId = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var rule in ProfileAttributeRules.All)
        {
            if (rule.CompileTime)
            {
                byId[rule.Id] = new DiagnosticDescriptor(
                    rule.Id,
                    rule.Title,
                    rule.MessageFormat,
                    Category,
                    rule.IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                    isEnabledByDefault: true,
                    helpLinkUri: HelpLink);
            }
        }

        return byId;
    }
}
