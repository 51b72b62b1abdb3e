namespace TargetProfileUpdate.Cli;

/// <summary>The process exit codes, as documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>Everything was accepted (and, where it was checked, applied).</summary>
    public const int Success = 0;

    /// <summary>Some rows (or the one update) failed; for an import the failures file was written.</summary>
    public const int Failed = 1;

    /// <summary>A usage or configuration error, or a bad CSV file: a clear message, nothing sent.</summary>
    public const int Usage = 2;

    /// <summary>The profile was not found.</summary>
    public const int NotFound = 3;

    /// <summary>Every row was accepted, but some are known not to be applied: no profile (not sent), a bulk batch not
    /// confirmed or reporting rows not applied, or rows <c>--verify</c> found not landed.</summary>
    public const int NotApplied = 4;

    /// <summary>Interrupted by Ctrl+C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;
}
