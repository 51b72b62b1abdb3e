using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Cli.Import;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary>
/// <c>target-profile lint FILE.csv [--catalog]</c>: Target's attribute rules (docs/profile-contract.md) over an import file,
/// without sending anything. Column problems are reported once per column, value and id problems with their line.
/// Exit code 0 when there is no error (warnings allowed), 1 when there is one, 2 for a usage error or an unreadable header.
/// Also the check <c>import</c> runs first (<see cref="BeforeImport"/>), unless <c>--no-lint</c>.
/// </summary>
internal static class LintCommand
{
    /// <summary>The name of import's option that skips the check.</summary>
    public const string NoLintName = "--no-lint";

    private const int MaxShownOnImport = 10;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The CSV file, in import's format: a header whose first column is thirdPartyId or pcId, then attribute names." };
        var catalog = new Option<bool>("--catalog") { Description = "Also flag column names the tenant has never seen, with the closest known name (reads the tenant's attribute list from the Admin API: needs TARGET_IMS_CLIENT_ID, TARGET_IMS_CLIENT_SECRET, TARGET_IMS_SCOPES and TARGET_TENANT, or --emulator)." };
        var command = new Command("lint", "Check a CSV file against Target's attribute rules (reserved names, names that differ only by case, empty values, the 64 KB per-profile budget, …) without sending anything. Exit code 1 when there is an error.");
        command.Arguments.Add(file);
        command.Options.Add(catalog);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.GetRequiredValue(file).FullName, parseResult.GetValue(catalog), cancellationToken));
        return command;
    }

    /// <summary>import's <c>--no-lint</c> option.</summary>
    public static Option<bool> CreateNoLintOption() => new(NoLintName) { Description = "Do not check the file against Target's attribute rules before sending (see 'target-profile lint')." };

    /// <summary>
    /// import's check, after the structural pre-pass and before anything is sent: an error stops the import (a
    /// <see cref="UsageException"/>, exit code 2); warnings are printed and the import goes on.
    /// </summary>
    public static void BeforeImport(bool skip, string path, CsvInspection inspection)
    {
        if (skip)
        {
            return;
        }

        var problems = CsvLinter.LintRules(path, inspection, null);
        var errors = problems.Where(p => p.IsError).ToList();
        if (errors.Count > 0)
        {
            throw new UsageException(
                "the CSV file breaks Target's attribute rules; nothing was sent (run 'target-profile lint' for the full list, or pass " + NoLintName + " to send it anyway):"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors.Take(MaxShownOnImport))
                + (errors.Count > MaxShownOnImport ? Environment.NewLine + "  " + More(errors.Count - MaxShownOnImport, "errors") : string.Empty));
        }

        var warnings = problems.Take(MaxShownOnImport).ToList();
        foreach (var warning in warnings)
        {
            Console.Error.WriteLine("warning: " + warning);
        }

        if (problems.Count > warnings.Count)
        {
            Console.Error.WriteLine("warning: " + More(problems.Count - warnings.Count, "warnings") + " (run 'target-profile lint' for the full list)");
        }
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string path, bool useCatalog, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UsageException("the file '" + path + "' does not exist.");
        }

        IEnumerable<string>? known = useCatalog ? await CatalogNamesAsync(parseResult, cancellationToken).ConfigureAwait(false) : null;
        var problems = CsvLinter.Lint(path, known);
        foreach (var problem in problems)
        {
            Console.Out.WriteLine(problem.ToString());
        }

        int errors = problems.Count(p => p.IsError);
        int warningCount = problems.Count - errors;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{errors} error(s), {warningCount} warning(s) in {Path.GetFileName(path)}."));
        return errors > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<IEnumerable<string>> CatalogNamesAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var session = await Hosting.TargetSession.OpenAsync(parseResult, null, cancellationToken, adminApi: true).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            try
            {
                return await session.AttributeCatalog.GetAttributeNamesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ProfileApiException ex)
            {
                throw new UsageException("the tenant's attribute catalog could not be read: " + ErrorText.Describe(ex), ex);
            }
            catch (InvalidOperationException ex)
            {
                // No IMS credentials: the message names the settings; the CLI's variables are named in --catalog's help.
                throw new UsageException("--catalog needs the Admin API: set TARGET_IMS_CLIENT_ID, TARGET_IMS_CLIENT_SECRET, TARGET_IMS_SCOPES and TARGET_TENANT, or use --emulator. (" + ex.Message + ")", ex);
            }
        }
    }

    private static string More(int count, string what) => string.Create(CultureInfo.InvariantCulture, $"… and {count} more {what}");
}
