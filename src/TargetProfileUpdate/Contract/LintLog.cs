using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Contract;

/// <summary>The linter's and the catalog's log messages (event ids 100 to 119). They carry rule ids, attribute names and
/// counts only: never a value, a profile id or a token.</summary>
internal static partial class LintLog
{
    [LoggerMessage(EventId = 100, EventName = "ProfileAttributeRuleBroken", Level = LogLevel.Warning,
        Message = "{RuleId}: {LintMessage} (logged once per attribute name; set TargetProfileUpdate:Linting to Strict to refuse such updates, or Off).")]
    public static partial void RuleBroken(ILogger logger, string ruleId, string lintMessage);

    [LoggerMessage(EventId = 101, EventName = "ProfileAttributeLintLogFull", Level = LogLevel.Warning,
        Message = "More than {Limit} distinct attribute-rule problems were logged; further ones are not logged.")]
    public static partial void LogFull(ILogger logger, int limit);

    [LoggerMessage(EventId = 110, EventName = "ProfileAttributeCatalogLoaded", Level = LogLevel.Debug,
        Message = "The tenant's profile attribute catalog was read: {Count} names ({Shape}).")]
    public static partial void CatalogLoaded(ILogger logger, int count, string shape);
}
