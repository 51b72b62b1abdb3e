using System;
using System.Collections.Generic;
using System.Globalization;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>One problem of a CSV file: where (1-based line, and column when it is about one), what, and whether it is an error.</summary>
internal sealed record CsvLintProblem(long Line, int? Column, string Text, bool IsError)
{
    public override string ToString() => Column is { } column
        ? string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {column}: {Text}")
        : string.Create(CultureInfo.InvariantCulture, $"line {Line}: {Text}");
}

/// <summary>
/// Target's attribute rules over a CSV import file, through the SDK's <see cref="ProfileAttributeLinter"/> (the rule table
/// the compile-time generator shares): column problems once per column (line 1), value and id problems with their line.
/// Rows the structural pre-pass (<see cref="CsvInspector"/>) found invalid are reported with its reason.
/// </summary>
internal static class CsvLinter
{
    /// <summary>Lints a file: the structural pre-pass, then the rules. A header that cannot be read is a <see cref="UsageException"/>.</summary>
    public static List<CsvLintProblem> Lint(string path, IEnumerable<string>? knownNames)
    {
        var inspection = CsvInspector.Inspect(path, skipInvalid: true);
        var problems = new List<CsvLintProblem>();
        foreach (var (_, reason) in inspection.InvalidRows)
        {
            problems.Add(FromReason(reason));
        }

        problems.AddRange(LintRules(path, inspection, knownNames));
        problems.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : (a.Column ?? 0).CompareTo(b.Column ?? 0));
        return problems;
    }

    /// <summary>The rule problems of an inspected file (its invalid rows skipped): columns first, then rows in order.</summary>
    public static List<CsvLintProblem> LintRules(string path, CsvInspection inspection, IEnumerable<string>? knownNames)
    {
        var layout = inspection.Layout;
        var linter = new ProfileAttributeLinter(ProfileLintMode.Off, null, knownNames);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < layout.AttributeNames.Count; i++)
        {
            columns[Normalize(layout.AttributeNames[i])] = i + 2;
        }

        var problems = new List<CsvLintProblem>();
        foreach (var finding in linter.LintNames(layout.AttributeNames))
        {
            problems.Add(new CsvLintProblem(1, ColumnOf(finding, columns), finding.ToString(), finding.Severity == ProfileLintSeverity.Error));
        }

        using var reader = CsvLayout.OpenText(path);
        using var parser = new CsvParser(reader, CsvLayout.Configuration(null));
        if (!parser.Read())
        {
            return problems;
        }

        long previousEnd = parser.RawRow;
        long row = 0;
        while (parser.Read())
        {
            long line = previousEnd + 1;
            previousEnd = Math.Max(line, parser.RawRow);
            long current = row++;
            if (inspection.InvalidRows.ContainsKey(current))
            {
                continue;
            }

            string[] fields = parser.Record!;
            var update = layout.IdKind == ProfileIdKind.ThirdPartyId ? ProfileUpdate.ForThirdPartyId(fields[0]) : ProfileUpdate.ForPcId(fields[0]);
            for (int i = 0; i < layout.AttributeNames.Count; i++)
            {
                // Empty values included: the rules say what an empty field does (nothing), which the import then skips.
                update.Set(layout.AttributeNames[i], fields[i + 1]);
            }

            foreach (var finding in linter.LintValues(update))
            {
                int? column = finding.AttributeName is null ? (finding.RuleId == "TPU102" ? 1 : null) : ColumnOf(finding, columns);
                problems.Add(new CsvLintProblem(line, column, finding.ToString(), finding.Severity == ProfileLintSeverity.Error));
            }
        }

        return problems;
    }

    private static int? ColumnOf(ProfileLintFinding finding, Dictionary<string, int> columns) =>
        finding.AttributeName is { } name && columns.TryGetValue(name, out int column) ? column : null;

    private static string Normalize(string name) => name.StartsWith("profile.", StringComparison.Ordinal) ? name["profile.".Length..] : name;

    /// <summary>A pre-pass reason ("line N, column C: what" or "line N: what") as a problem.</summary>
    private static CsvLintProblem FromReason(string reason)
    {
        long line = 0;
        int? column = null;
        string text = reason;
        if (reason.StartsWith("line ", StringComparison.Ordinal))
        {
            int colon = reason.IndexOf(": ", StringComparison.Ordinal);
            string where = colon > 0 ? reason[5..colon] : string.Empty;
            string[] parts = where.Split(", column ");
            if (colon > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out line))
            {
                text = reason[(colon + 2)..];
                if (parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int c))
                {
                    column = c;
                }
            }
        }

        return new CsvLintProblem(line, column, "error: " + text, true);
    }
}
