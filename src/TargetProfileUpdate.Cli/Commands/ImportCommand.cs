using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using TargetProfileUpdate.Cli.Bulk;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Import;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary><c>target-profile import FILE.csv [--via single|bulk] [--concurrency N] [--failures FILE] [--wait] [--skip-invalid]
/// [--api-version v1|v2] [--batch-rows N] [--batch-bytes N] [--poll-interval S]</c>.</summary>
internal static class ImportCommand
{
    /// <summary>Below this many valid rows (or for a pcId file) the default is row by row; from it on, the Bulk API.</summary>
    public const long BulkThreshold = 100_000;

    private const string InterruptedReason = "not sent: the import was interrupted (Ctrl+C) before this row was sent";

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The CSV file: a header whose first column is thirdPartyId or pcId, then attribute names; one row per profile." };
        var via = new Option<string?>("--via") { Description = "single: one Single Profile Update call per row (UpdateManyAsync). bulk: Bulk Profile Update API batches. Default: single below 100,000 rows or for pcId files, else bulk." };
        via.AcceptOnlyFromAmong("single", "bulk");
        var concurrency = new Option<int>("--concurrency") { Description = "Rows in flight at once with --via single (1 to 1024).", DefaultValueFactory = _ => 16 };
        var failures = new Option<FileInfo?>("--failures") { Description = "Where rows that were not accepted are written (default: FILE.failures.csv)." };
        var wait = new Option<bool>("--wait") { Description = "With --via bulk: follow every batch to completion and print the final counts." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Send the valid rows and put invalid ones (bad field count, quoting, UTF-8, id or value) in the failures file, instead of stopping." };
        var grace = new Option<double>("--grace-period") { Description = "Seconds that requests in flight may take to finish after Ctrl+C (a second Ctrl+C stops at once).", DefaultValueFactory = _ => 10 };
        var interval = new Option<double>("--progress-interval") { Description = "Seconds between two progress lines when output is redirected.", DefaultValueFactory = _ => 2 };
        var apiVersion = new Option<string?>("--api-version") { Description = "With --via bulk: v2 (creates missing profiles; the default for thirdPartyId files) or v1 (updates existing profiles only; the default for pcId files, as Adobe advises when Target uses the Experience Cloud ID)." };
        apiVersion.AcceptOnlyFromAmong("v1", "v2");
        var batchRows = new Option<int>("--batch-rows") { Description = "With --via bulk: the most rows per batch (1 to 500,000).", DefaultValueFactory = _ => BulkUploadOptions.MaxRowsLimit };
        var batchBytes = new Option<int>("--batch-bytes") { Description = "With --via bulk: the most request body bytes per batch (64 to 50,000,000).", DefaultValueFactory = _ => BulkUploadOptions.MaxBytesLimit };
        var poll = new Option<double>("--poll-interval") { Description = "With --wait: seconds between two status requests per batch (at least 1; each counts against Target's 50 bulk calls per minute).", DefaultValueFactory = _ => 30 };

        var command = new Command("import", "Import a CSV file of profile updates. Every row that is not accepted is written to the failures file, which imports as is.");
        command.Arguments.Add(file);
        command.Options.Add(via);
        command.Options.Add(concurrency);
        command.Options.Add(failures);
        command.Options.Add(wait);
        command.Options.Add(skipInvalid);
        command.Options.Add(grace);
        command.Options.Add(interval);
        command.Options.Add(apiVersion);
        command.Options.Add(batchRows);
        command.Options.Add(batchBytes);
        command.Options.Add(poll);
        command.Options.Add(LintCommand.CreateNoLintOption());
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult,
            new Settings(
                parseResult.GetRequiredValue(file).FullName,
                parseResult.GetValue(via),
                parseResult.GetValue(concurrency),
                parseResult.GetValue(failures)?.FullName,
                parseResult.GetValue(wait),
                parseResult.GetValue(skipInvalid),
                Seconds(parseResult.GetValue(grace)),
                Seconds(parseResult.GetValue(interval)),
                parseResult.GetValue(apiVersion),
                parseResult.GetValue(batchRows),
                parseResult.GetValue(batchBytes),
                Seconds(parseResult.GetValue(poll))),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Concurrency is < 1 or > 1024)
        {
            throw new UsageException("--concurrency must be from 1 to 1024.");
        }

        if (!(settings.Grace >= TimeSpan.Zero && settings.Grace <= TimeSpan.FromHours(1)))
        {
            throw new UsageException("--grace-period must be from 0 to 3600 seconds.");
        }

        if (!(settings.ProgressInterval >= TimeSpan.FromMilliseconds(50) && settings.ProgressInterval <= TimeSpan.FromHours(1)))
        {
            throw new UsageException("--progress-interval must be from 0.05 to 3600 seconds.");
        }

        if (settings.BatchRows is < 1 or > BulkUploadOptions.MaxRowsLimit)
        {
            throw new UsageException("--batch-rows must be from 1 to 500,000 (Adobe's limit per batch).");
        }

        if (settings.BatchBytes is < BulkUploadOptions.MinBytesLimit or > BulkUploadOptions.MaxBytesLimit)
        {
            throw new UsageException("--batch-bytes must be from 64 to 50,000,000 (Adobe: less than 50 MB per batch).");
        }

        if (!(settings.PollInterval >= BulkProfileUpdateClientExtensions.MinPollInterval && settings.PollInterval <= TimeSpan.FromHours(1)))
        {
            throw new UsageException("--poll-interval must be from 1 to 3600 seconds.");
        }

        if (!File.Exists(settings.Path))
        {
            throw new UsageException("the file '" + settings.Path + "' does not exist.");
        }

        string failuresPath = settings.FailuresPath ?? Path.ChangeExtension(settings.Path, ".failures.csv");
        if (string.Equals(Path.GetFullPath(failuresPath), settings.Path, StringComparison.Ordinal))
        {
            throw new UsageException("--failures must not be the input file.");
        }

        var session = await TargetSession.OpenAsync(
            parseResult,
            o => o.MaxConnectionsPerServer = Math.Max(o.MaxConnectionsPerServer, settings.Concurrency),
            cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var inspection = CsvInspector.Inspect(settings.Path, settings.SkipInvalid);
            LintCommand.BeforeImport(parseResult.GetValue<bool>(LintCommand.NoLintName), settings.Path, inspection);
            var ledger = new ImportLedger(inspection);
            bool useBulk = ChooseBulk(settings.Via, inspection.Layout.IdKind, ledger.Rows - ledger.Invalid);
            var apiVersion = settings.ApiVersion switch
            {
                "v1" => BulkApiVersion.V1,
                "v2" => BulkApiVersion.V2,
                _ => inspection.Layout.IdKind == ProfileIdKind.PcId ? BulkApiVersion.V1 : BulkApiVersion.V2,
            };
            if (settings.Wait && !useBulk)
            {
                Console.Error.WriteLine("note: --wait applies to bulk imports only; this import goes row by row (--via single), and each row's answer is final.");
            }

            var console = Terminal.Out;
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Importing {ledger.Rows - ledger.Invalid:N0} rows ({ledger.Invalid:N0} invalid, set aside) by {inspection.Layout.IdColumn} via {(useBulk ? "bulk" : "single")}{(useBulk ? string.Create(CultureInfo.InvariantCulture, $" ({(apiVersion == BulkApiVersion.V1 ? "v1" : "v2")}, up to {settings.BatchRows:N0} rows and {settings.BatchBytes:N0} bytes per batch)") : ", concurrency " + settings.Concurrency.ToString(CultureInfo.InvariantCulture))}."));

            using var stopReading = new CancellationTokenSource();
            using var hardStop = new CancellationTokenSource();
            int signals = 0;
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                if (Interlocked.Increment(ref signals) == 1)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Interrupted: no more rows are read; requests in flight may finish within {settings.Grace.TotalSeconds:0.#} s. Press Ctrl+C again to stop at once."));
                    stopReading.Cancel();
                    hardStop.CancelAfter(settings.Grace);
                }
                else
                {
                    hardStop.Cancel();
                }
            });

            var clock = Stopwatch.StartNew();
            var rows = RowSource.ReadAsync(settings.Path, inspection, ledger, trackRows: !useBulk, stopReading.Token);
            string? stoppedBy = null;
            BulkImportOutcome? bulkOutcome = null;
            try
            {
                if (useBulk)
                {
                    var runner = new BulkRunner(session.BulkClient);
                    var board = new BatchBoard();
                    var bulkSettings = new BulkSettings(apiVersion, settings.BatchRows, settings.BatchBytes, settings.Wait, settings.PollInterval);
                    bulkOutcome = await ImportProgress.RunAsync(ledger, board, settings.ProgressInterval, () => runner.ImportAsync(rows, ledger, board, bulkSettings, stopReading.Token, hardStop.Token)).ConfigureAwait(false);
                    stoppedBy = bulkOutcome.StoppedBy;
                }
                else
                {
                    var client = new TrackingUpdateClient(session.UpdateClient, ledger);
                    var options = new ProfileBatchOptions { MaxConcurrency = settings.Concurrency };
                    await ImportProgress.RunAsync(ledger, null, settings.ProgressInterval, () => client.UpdateManyAsync(rows, options, hardStop.Token)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                // The ledger knows every row: those cut off stay "not sent".
            }
            catch (Exception ex) when (ex is IOException or CsvHelper.CsvHelperException or UnauthorizedAccessException)
            {
                stoppedBy = "the input could not be read to the end: " + ex.Message;
            }

            clock.Stop();
            string notSentReason = stoppedBy is not null ? "not sent: " + stoppedBy : InterruptedReason;
            long notAccepted = ledger.Rows - ledger.Accepted;
            if (notAccepted > 0)
            {
                FailuresWriter.Write(settings.Path, failuresPath, inspection.Layout, ledger, notSentReason);
            }

            WriteSummary(console, ledger, clock.Elapsed, notAccepted > 0 ? failuresPath : null, bulkOutcome);
            if (stoppedBy is not null)
            {
                Terminal.Error(stoppedBy);
            }

            return signals > 0 ? ExitCodes.Interrupted : notAccepted > 0 ? ExitCodes.Failed : ExitCodes.Success;
        }
    }

    /// <summary>
    /// The route: as asked with <c>--via</c>; otherwise bulk for a <c>thirdPartyId</c> file of <see cref="BulkThreshold"/>
    /// valid rows or more, row by row for everything else (a <c>pcId</c> file always: bulk v1 drops unknown pcIds silently
    /// and Adobe advises against v2 with pcIds when Target uses the Experience Cloud ID).
    /// </summary>
    internal static bool ChooseBulk(string? via, ProfileIdKind idKind, long validRows) => via switch
    {
        "bulk" => true,
        "single" => false,
        _ => idKind == ProfileIdKind.ThirdPartyId && validRows >= BulkThreshold,
    };

    private static void WriteSummary(IAnsiConsole console, ImportLedger ledger, TimeSpan elapsed, string? failuresPath, BulkImportOutcome? bulk)
    {
        var table = new Table().Title("Import summary").AddColumn("").AddColumn(new TableColumn("Rows").RightAligned());
        table.AddRow("Rows in file", Count(ledger.Rows));
        table.AddRow("Accepted", Count(ledger.Accepted));
        table.AddRow("Failed", Count(ledger.Failed));
        table.AddRow("Invalid (not sent)", Count(ledger.Invalid));
        table.AddRow("Not sent", Count(ledger.NotSent));
        table.AddRow("Elapsed", elapsed.ToString(@"hh\:mm\:ss\.f", CultureInfo.InvariantCulture));
        table.AddRow("Rows/s", Count(elapsed.TotalSeconds > 0 ? (long)((ledger.Accepted + ledger.Failed) / elapsed.TotalSeconds) : 0));
        console.Write(table);
        if (bulk is not null)
        {
            // Written as is, not wrapped at the terminal's width: each line ends with a status URL to copy.
            foreach (string line in bulk.BatchLines)
            {
                console.Profile.Out.Writer.WriteLine(line);
            }
        }

        console.WriteLine(failuresPath is null
            ? "Every row was accepted."
            : string.Create(CultureInfo.InvariantCulture, $"{ledger.Rows - ledger.Accepted:N0} rows not accepted were written to {failuresPath} (import it to send them again)."));
    }

    private static TimeSpan Seconds(double value) => double.IsFinite(value) && Math.Abs(value) < 1e6 ? TimeSpan.FromSeconds(value) : TimeSpan.MinValue;

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed record Settings(string Path, string? Via, int Concurrency, string? FailuresPath, bool Wait, bool SkipInvalid, TimeSpan Grace, TimeSpan ProgressInterval, string? ApiVersion, int BatchRows, int BatchBytes, TimeSpan PollInterval);
}
