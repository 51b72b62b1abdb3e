using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TargetProfileUpdate.Contract;

namespace TargetProfileUpdate;

/// <summary>
/// Checks updates, bulk rows and CSV columns against Target's attribute rules at run time: exactly the rules the
/// <see cref="ProfileAttributesAttribute"/> generator reports at compile time (one shared rule table), plus the rules only
/// values show. docs/profile-contract.md lists them all with their ids. Sealed, immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Rules: TPU001 empty name; TPU002 a <c>profile.</c> prefix (at run time: a doubled one, since <c>Set</c> accepts and
/// removes one); TPU003 a reserved or built-in name; TPU004 two names that differ only by case; TPU005 a name over 128
/// characters (warning); TPU009 a name with a control character or white space at its start or end; TPU101 an empty value, which neither clears nor changes anything (warning); TPU102 an
/// <c>mbox3rdPartyId</c> over 256 characters; TPU103 attributes over the 64 KB per-profile budget; TPU104, when the
/// tenant's attribute names are given, a name the tenant has never seen, with the closest known name (warning).</para>
/// <para>The clients apply the account's <see cref="TargetProfileUpdateOptions.Linting"/> mode before sending; use a linter
/// directly to check data ahead of time (<see cref="Lint(ProfileUpdate)"/>, <see cref="LintNames"/>).</para>
/// </remarks>
public sealed class ProfileAttributeLinter
{
    /// <summary>The most distinct (rule, name) problems logged by one linter in <see cref="ProfileLintMode.Warn"/> mode.</summary>
    public const int MaxLoggedProblems = 1000;

    private const int LinearScanLimit = 32;

    private readonly ILogger _logger;
    private readonly HashSet<string>? _known;
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);
    private int _logFull;

    /// <summary>Creates a linter.</summary>
    /// <param name="mode">What <see cref="Enforce"/> does with problems.</param>
    /// <param name="logger">Where <see cref="ProfileLintMode.Warn"/> logs (once per rule and attribute name); none by default.</param>
    /// <param name="knownAttributeNames">The tenant's attribute names (for example from <see cref="IProfileAttributeCatalog"/>):
    /// when given and not empty, names not among them are reported (TPU104) with the closest known name.</param>
    public ProfileAttributeLinter(ProfileLintMode mode = ProfileLintMode.Warn, ILogger? logger = null, IEnumerable<string>? knownAttributeNames = null)
    {
        Mode = mode;
        _logger = logger ?? NullLogger.Instance;
        _known = knownAttributeNames is null ? null : new HashSet<string>(knownAttributeNames, StringComparer.Ordinal);
    }

    /// <summary>Gets what <see cref="Enforce"/> does with problems.</summary>
    public ProfileLintMode Mode { get; }

    /// <summary>Checks attribute names (a CSV header's columns, a schema's names): each name once, and every pair that
    /// differs only by case. A name may carry the one <c>profile.</c> prefix that <see cref="ProfileUpdate.Set(string, string)"/> accepts.</summary>
    /// <param name="names">The names.</param>
    /// <returns>The problems, in the order of the names; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<ProfileLintFinding> LintNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        List<ProfileLintFinding>? findings = null;
        var seen = new List<string>();
        foreach (string raw in names)
        {
            string name = Normalize(raw ?? string.Empty);
            CheckName(name, ref findings);
            foreach (string other in seen)
            {
                if (ProfileAttributeRules.DifferOnlyByCase(other, name))
                {
                    Add(ref findings, ProfileAttributeRules.CaseCollision, name, other, name);
                    break;
                }
            }

            seen.Add(name);
        }

        return (IReadOnlyList<ProfileLintFinding>?)findings ?? [];
    }

    /// <summary>Checks one update: its names, its values, its id and its size.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The problems; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<ProfileLintFinding> Lint(ProfileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        List<ProfileLintFinding>? findings = null;
        Check(update, ref findings);
        return (IReadOnlyList<ProfileLintFinding>?)findings ?? [];
    }

    /// <summary>Checks only what differs from row to row: empty values (TPU101), the id (TPU102) and the size (TPU103). For many
    /// rows that share names (a CSV file), check the names once with <see cref="LintNames"/> and each row with this.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The problems; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<ProfileLintFinding> LintValues(ProfileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        List<ProfileLintFinding>? findings = null;
        Check(update, ref findings, names: false);
        return (IReadOnlyList<ProfileLintFinding>?)findings ?? [];
    }

    /// <summary>
    /// Applies <see cref="Mode"/> to one update: <see cref="ProfileLintMode.Strict"/> throws if it has any problem,
    /// <see cref="ProfileLintMode.Warn"/> logs each problem the first time its rule and attribute name are seen,
    /// <see cref="ProfileLintMode.Off"/> does nothing. Allocates nothing for an update without problems.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Strict mode, and the update has a problem; the message lists each (names only). Nothing was sent.</exception>
    public void Enforce(ProfileUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (Mode == ProfileLintMode.Off)
        {
            return;
        }

        List<ProfileLintFinding>? findings = null;
        Check(update, ref findings);
        if (findings is null)
        {
            return;
        }

        if (Mode == ProfileLintMode.Strict)
        {
            throw new ArgumentException(Describe(findings), nameof(update));
        }

        Report(findings);
    }

    /// <summary>The reason a bulk row is rejected in Strict mode (null when it is not); Warn mode logs and returns null.</summary>
    internal string? RejectionReason(ProfileUpdate update)
    {
        if (Mode == ProfileLintMode.Off)
        {
            return null;
        }

        List<ProfileLintFinding>? findings = null;
        Check(update, ref findings);
        if (findings is null)
        {
            return null;
        }

        if (Mode == ProfileLintMode.Strict)
        {
            return Describe(findings);
        }

        Report(findings);
        return null;
    }

    /// <summary>Logs each finding the first time its rule and attribute name are seen (bounded by <see cref="MaxLoggedProblems"/>).</summary>
    internal void Report(IEnumerable<ProfileLintFinding> findings)
    {
        foreach (var finding in findings)
        {
            string key = finding.RuleId + "\n" + finding.AttributeName;
            if (_logged.ContainsKey(key))
            {
                continue;
            }

            if (_logged.Count >= MaxLoggedProblems)
            {
                if (System.Threading.Interlocked.Exchange(ref _logFull, 1) == 0)
                {
                    LintLog.LogFull(_logger, MaxLoggedProblems);
                }

                return;
            }

            if (_logged.TryAdd(key, 0))
            {
                LintLog.RuleBroken(_logger, finding.RuleId, finding.Message);
            }
        }
    }

    private static string Describe(List<ProfileLintFinding> findings)
    {
        var text = new StringBuilder("The update breaks Target's attribute rules; nothing was sent (see docs/profile-contract.md, or set TargetProfileUpdate:Linting to Warn):");
        foreach (var finding in findings)
        {
            text.Append(' ').Append(finding.ToString());
        }

        return text.ToString();
    }

    /// <summary>The name as the SDK sends it: one leading <c>profile.</c> is accepted and removed by <c>Set</c>.</summary>
    private static string Normalize(string name) =>
        name.StartsWith(ProfileAttributeRules.ProfilePrefix, StringComparison.Ordinal) ? name[ProfileAttributeRules.ProfilePrefix.Length..] : name;

    /// <summary>Adds a finding; the names in its message are <see cref="ProfileAttributeRules.Shown"/> (a CR/LF in a name cannot split a log line).</summary>
    private static void Add(ref List<ProfileLintFinding>? findings, ProfileAttributeRule rule, string? name, params object[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is string text)
            {
                args[i] = ProfileAttributeRules.Shown(text);
            }
        }

        (findings ??= []).Add(new ProfileLintFinding(rule.Id, rule.IsError ? ProfileLintSeverity.Error : ProfileLintSeverity.Warning, name, rule.Format(args)));
    }

    private void CheckName(string name, ref List<ProfileLintFinding>? findings)
    {
        if (ProfileAttributeRules.CheckName(name) is { } broken)
        {
            Add(ref findings, broken, name, name);
        }

        if (ProfileAttributeRules.IsTooLong(name))
        {
            Add(ref findings, ProfileAttributeRules.NameTooLong, name, name, name.Length);
        }

        // An empty catalog (an answer of an unknown shape) says nothing about names: the rule is skipped.
        if (_known is { Count: > 0 } && name.Length > 0 && !_known.Contains(name))
        {
            string? suggestion = ProfileAttributeRules.Suggest(name, _known);
            Add(ref findings, ProfileAttributeRules.UnknownName, name, name, suggestion is null ? "." : "; did you mean `" + suggestion + "`?");
        }
    }

    private void Check(ProfileUpdate update, ref List<ProfileLintFinding>? findings, bool names = true)
    {
        var attributes = update.AttributeList;
        int index = 0;
        HashSet<string>? folded = names && attributes.Count > LinearScanLimit ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;
        foreach (var (name, value) in attributes)
        {
            if (value.Length == 0)
            {
                Add(ref findings, ProfileAttributeRules.EmptyValue, name, name);
            }

            if (!names)
            {
                continue;
            }

            CheckName(name, ref findings);
            if (folded is not null)
            {
                if (!folded.Add(name))
                {
                    Add(ref findings, ProfileAttributeRules.CaseCollision, name, FirstFolded(attributes, name), name);
                }
            }
            else
            {
                int j = 0;
                foreach (var (other, _) in attributes)
                {
                    if (j++ >= index)
                    {
                        break;
                    }

                    if (ProfileAttributeRules.DifferOnlyByCase(other, name))
                    {
                        Add(ref findings, ProfileAttributeRules.CaseCollision, name, other, name);
                        break;
                    }
                }
            }

            index++;
        }

        if (update.Id.Kind == ProfileIdKind.ThirdPartyId && update.Id.Value.Length > ProfileAttributeRules.MaxThirdPartyIdLength)
        {
            Add(ref findings, ProfileAttributeRules.ThirdPartyIdTooLong, null, update.Id.Value.Length.ToString(CultureInfo.InvariantCulture));
        }

        // The encoded length bounds the UTF-8 length from above: only an update that could be over is counted exactly.
        if (update.EncodedAttributesLength > ProfileAttributeRules.MaxProfileBytes)
        {
            long bytes = 0;
            foreach (var (name, value) in attributes)
            {
                bytes += System.Text.Encoding.UTF8.GetByteCount(name) + System.Text.Encoding.UTF8.GetByteCount(value);
            }

            if (bytes > ProfileAttributeRules.MaxProfileBytes)
            {
                Add(ref findings, ProfileAttributeRules.OverProfileBudget, null, bytes.ToString("N0", CultureInfo.InvariantCulture));
            }
        }
    }

    private static string FirstFolded(AttributeList attributes, string name)
    {
        foreach (var (other, _) in attributes)
        {
            if (string.Equals(other, name, StringComparison.OrdinalIgnoreCase))
            {
                return other;
            }
        }

        return name;
    }
}
