using System;

namespace TargetProfileUpdate;

/// <summary>
/// One broken rule, as <see cref="ProfileAttributeLinter"/> reports it. Holds attribute names, rule ids and counts only:
/// never a value or a profile id, so it is safe to log. Publicly constructible for tests of your own code.
/// </summary>
public sealed class ProfileLintFinding
{
    /// <summary>Creates a finding.</summary>
    /// <param name="ruleId">The rule's documented id, for example <c>TPU003</c>.</param>
    /// <param name="severity">How serious it is.</param>
    /// <param name="attributeName">The attribute concerned, or <see langword="null"/> for a rule about the whole update or its id.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <exception cref="ArgumentException"><paramref name="ruleId"/> or <paramref name="message"/> is null or empty.</exception>
    public ProfileLintFinding(string ruleId, ProfileLintSeverity severity, string? attributeName, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(ruleId);
        ArgumentException.ThrowIfNullOrEmpty(message);
        RuleId = ruleId;
        Severity = severity;
        AttributeName = attributeName;
        Message = message;
    }

    /// <summary>Gets the rule's documented id (<c>TPU001</c> to <c>TPU005</c>, <c>TPU101</c> to <c>TPU104</c>).</summary>
    public string RuleId { get; }

    /// <summary>Gets how serious it is.</summary>
    public ProfileLintSeverity Severity { get; }

    /// <summary>Gets the attribute concerned, or <see langword="null"/> for a rule about the whole update or its id.</summary>
    public string? AttributeName { get; }

    /// <summary>Gets what is wrong and what to do (names and counts only).</summary>
    public string Message { get; }

    /// <summary>Describes the finding: <c>TPU003 error: …</c>.</summary>
    /// <returns>The id, the severity and the message.</returns>
    public override string ToString() => RuleId + (Severity == ProfileLintSeverity.Error ? " error: " : " warning: ") + Message;
}
