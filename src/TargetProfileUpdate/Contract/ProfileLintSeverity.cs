namespace TargetProfileUpdate;

/// <summary>How serious a <see cref="ProfileLintFinding"/> is.</summary>
public enum ProfileLintSeverity
{
    /// <summary>Probably not what was meant, but Target takes it (an empty value, a long name, a name the catalog does not list).</summary>
    Warning = 0,

    /// <summary>Breaks one of Target's rules (a reserved name, names that differ only by case, a limit).</summary>
    Error = 1,
}
