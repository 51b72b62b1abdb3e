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
/// [--api-version v1|v2] [--batch-rows N] [--batch-bytes N] [--poll-interval D] [--verify [--verify-sample N] [--verify-after D]]
/// [--skip-existence-check]</c>.</summary>
internal static class ImportCommand
{
    private const string InterruptedReason = "not sent: the import was interrupted (Ctrl+C) before this row was sent";

    /// <summary>What "accepted" means, printed under every import summary.</summary>
    public const string AcceptedMeaning = "Accepted means accepted by Adobe Target for processing; updates are visible within about an hour (up to 24 h).";

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The CSV file: a header whose first column is thirdPartyId or pcId, then attribute names; one row per profile." };
        var via = new Option<string?>("--via") { Description = "bulk: Bulk Profile Update API v2 batches (creates missing profiles; the default for thirdPartyId files). single: one Single Profile Update call per row (UpdateManyAsync; the default for pcId files), after checking that the profile exists (updates for unknown ids are dropped by Adobe)." };
        via.AcceptOnlyFromAmong("single", "bulk");
        var concurrency = new Option<int>("--concurrency") { Description = "Rows in flight at once with --via single (1 to 1024).", DefaultValueFactory = _ => 16 };
        var failures = new Option<FileInfo?>("--failures") { Description = "Where rows that were not accepted are written (default: FILE.failures.csv)." };
        var wait = new Option<bool>("--wait") { Description = "With --via bulk: follow every batch to completion and print the final counts." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Send the valid rows and put invalid ones (bad field count, quoting, UTF-8, id or value) in the failures file, instead of stopping." };
        var grace = new Option<string>("--grace-period") { Description = "How long requests in flight may take to finish after Ctrl+C, such as 10s (a second Ctrl+C stops at once).", DefaultValueFactory = _ => "10s" };
        var interval = new Option<string>("--progress-interval") { Description = "Time between two progress lines when output is redirected, such as 2s.", DefaultValueFactory = _ => "2s" };
        var apiVersion = new Option<string?>("--api-version") { Description = "With --via bulk: v2 (creates missing profiles; the default for thirdPartyId files) or v1 (updates existing profiles only; the default for pcId files, as Adobe advises when Target uses the Experience Cloud ID)." };
        apiVersion.AcceptOnlyFromAmong("v1", "v2");
        var batchRows = new Option<int>("--batch-rows") { Description = "With --via bulk: the most rows per batch (1 to 500,000).", DefaultValueFactory = _ => BulkUploadOptions.MaxRowsLimit };
        var batchBytes = new Option<int>("--batch-bytes") { Description = "With --via bulk: the most request body bytes per batch (64 to 50,000,000).", DefaultValueFactory = _ => BulkUploadOptions.MaxBytesLimit };
        var poll = new Option<string>("--poll-interval") { Description = "With --wait: time between two status requests per batch, such as 30s or 1m (at least 1s; each counts against Target's 50 bulk calls per minute).", DefaultValueFactory = _ => "30s" };
        var verify = new Option<bool>("--verify") { Description = "After the import, read back a sample of the accepted rows (Profile Fetch API) and report how many landed." };
        var verifySample = new Option<int>("--verify-sample") { Description = "With --verify: how many accepted rows to read back (1 to 100,000).", DefaultValueFactory = _ => 100 };
        var verifyAfter = new Option<string?>("--verify-after") { Description = "With --verify: how long to wait before reading back, such as 1h or 30s (default 1h, the time Adobe takes to apply updates; with --emulator, the emulator's propagation delay plus a second)." };
        var skipExistence = new Option<bool>("--skip-existence-check") { Description = "With --via single: send every row without first checking that its profile exists. Updates for unknown ids are then dropped by Adobe without a word." };

        var command = new Command("import", "Import a CSV file of profile updates. Every row that is not accepted (or found not applied) is written to the failures file, which imports as is.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { via, concurrency, failures, wait, skipInvalid, grace, interval, apiVersion, batchRows, batchBytes, poll, verify, verifySample, verifyAfter, skipExistence })
        {
            command.Options.Add(option);
        }

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
                Durations.Parse(parseResult.GetValue(grace), "--grace-period", TimeSpan.Zero, TimeSpan.FromHours(1)),
                Durations.Parse(parseResult.GetValue(interval), "--progress-interval", TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1)),
                parseResult.GetValue(apiVersion),
                parseResult.GetValue(batchRows),
                parseResult.GetValue(batchBytes),
                Durations.Parse(parseResult.GetValue(poll), "--poll-interval", BulkProfileUpdateClientExtensions.MinPollInterval, TimeSpan.FromHours(1)),
                parseResult.GetValue(verify),
                parseResult.GetValue(verifySample),
                parseResult.GetValue(verifyAfter) is { } after ? Durations.Parse(after, "--verify-after", TimeSpan.Zero, TimeSpan.FromDays(2)) : null,
                !parseResult.GetValue(skipExistence)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Concurrency is < 1 or > 1024)
        {
            throw new UsageException("--concurrency must be from 1 to 1024.");
        }

        if (settings.BatchRows is < 1 or > BulkUploadOptions.MaxRowsLimit)
        {
            throw new UsageException("--batch-rows must be from 1 to 500,000 (Adobe's limit per batch).");
        }

        if (settings.BatchBytes is < BulkUploadOptions.MinBytesLimit or > BulkUploadOptions.MaxBytesLimit)
        {
            throw new UsageException("--batch-bytes must be from 64 to 50,000,000 (Adobe: less than 50 MB per batch).");
        }

        if (settings.VerifySample is < 1 or > 100_000)
        {
            throw new UsageException("--verify-sample must be from 1 to 100,000.");
        }

        if (!File.Exists(settings.Path))
        {
            throw new UsageException("the file '" + settings.Path + "' does not exist.");
        }

        string failuresPath = Path.GetFullPath(settings.FailuresPath ?? Path.ChangeExtension(settings.Path, ".failures.csv"));
        if (string.Equals(failuresPath, settings.Path, StringComparison.Ordinal))
        {
            throw new UsageException("--failures must not be the input file.");
        }

        // Before anything is sent: a ledger that cannot be written would lose the rows that were not accepted.
        FailuresWriter.CheckWritable(failuresPath);

        var session = await TargetSession.OpenAsync(
            parseResult,
            o => o.MaxConnectionsPerServer = Math.Max(o.MaxConnectionsPerServer, settings.Concurrency),
            cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var inspection = CsvInspector.Inspect(settings.Path, settings.SkipInvalid);
            LintCommand.BeforeImport(parseResult.GetValue<bool>(LintCommand.NoLintName), settings.Path, inspection);
            var ledger = new ImportLedger(inspection);
            bool useBulk = ChooseBulk(settings.Via, inspection.Layout.IdKind);
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

            bool checkExistence = !useBulk && settings.ExistenceCheck;
            var console = Terminal.Out;
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Importing {ledger.Rows - ledger.Invalid:N0} rows ({ledger.Invalid:N0} invalid, set aside) by {inspection.Layout.IdColumn} via {(useBulk ? "bulk" : "single")}{(useBulk ? string.Create(CultureInfo.InvariantCulture, $" ({(apiVersion == BulkApiVersion.V1 ? "v1" : "v2")}, up to {settings.BatchRows:N0} rows and {settings.BatchBytes:N0} bytes per batch)") : ", concurrency " + settings.Concurrency.ToString(CultureInfo.InvariantCulture))}{(checkExistence ? ", checking first that each profile exists" : string.Empty)}."));

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

            // An account-wide failure (authentication) stops reading too, without counting as Ctrl+C.
            using var stopAccount = CancellationTokenSource.CreateLinkedTokenSource(stopReading.Token);
            var clock = Stopwatch.StartNew();
            var startedAt = DateTimeOffset.UtcNow;
            var source = new RowSource(settings.Path, inspection, ledger, trackRows: !useBulk);
            string? stoppedBy = null;
            BulkImportOutcome? bulkOutcome = null;
            try
            {
                if (useBulk)
                {
                    var runner = new BulkRunner(session.BulkClient);
                    var board = new BatchBoard();
                    var bulkSettings = new BulkSettings(apiVersion, settings.BatchRows, settings.BatchBytes, settings.Wait, settings.PollInterval);
                    bulkOutcome = await ImportProgress.RunAsync(ledger, board, settings.ProgressInterval, () => runner.ImportAsync(source, ledger, board, bulkSettings, stopReading.Token, hardStop.Token)).ConfigureAwait(false);
                    stoppedBy = bulkOutcome.StoppedBy;
                }
                else
                {
                    var client = new TrackingUpdateClient(session.UpdateClient, ledger, checkExistence ? session.FetchClient : null, _ => stopAccount.Cancel(), session.Suppression);
                    var options = new ProfileBatchOptions { MaxConcurrency = settings.Concurrency, WaitWhileCircuitOpen = true };
                    try
                    {
                        await ImportProgress.RunAsync(ledger, null, settings.ProgressInterval, () => client.UpdateManyAsync(source.ReadAsync(stopAccount.Token), options, hardStop.Token)).ConfigureAwait(false);
                    }
                    catch (ProfileBatchException ex)
                    {
                        stoppedBy = ex.InnerException is InputChangedException changed ? changed.Message : "the import stopped: " + ex.InnerException?.Message;
                    }

                    stoppedBy ??= client.StoppedBy;
                }
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                // The ledger knows every row: those cut off stay "not sent".
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever happens after sending began, the summary and the failures file are still written.
                stoppedBy = "the import stopped after an unexpected failure (" + ex.GetType().Name + "): " + ex.Message;
            }

            clock.Stop();
            var info = new FileInfo(settings.Path);
            if (info.Exists && (info.Length, info.LastWriteTimeUtc) != inspection.Snapshot)
            {
                Console.Error.WriteLine("warning: the input file changed during the import; the failures file was written from its current content and may not match the rows that were sent.");
            }

            VerifyOutcome? verified = null;
            if (settings.Verify && signals == 0 && ledger.Accepted > 0)
            {
                verified = await VerifyAsync(settings, session, inspection, ledger, startedAt, stopReading.Token).ConfigureAwait(false);
            }

            string notSentReason = stoppedBy is not null ? "not sent: " + stoppedBy : InterruptedReason;
            long notAccepted = ledger.Rows - ledger.Accepted;
            bool removedStale = false;
            if (notAccepted > 0)
            {
                FailuresWriter.Write(settings.Path, failuresPath, inspection, ledger, notSentReason);
            }
            else if (File.Exists(failuresPath))
            {
                // A failures file of an earlier run would resend older values over the ones just accepted.
                File.Delete(failuresPath);
                removedStale = true;
            }

            string? caveat = useBulk
                ? (apiVersion == BulkApiVersion.V1 && !settings.Wait ? "Bulk API v1 only updates existing profiles: rows for unknown ids are dropped (run with --wait to see them counted as profilesNotFound)." : null)
                : (checkExistence ? null : "The profiles were not checked (--skip-existence-check): Adobe drops single updates for ids that have no profile yet.");
            WriteSummary(console, ledger, clock.Elapsed, notAccepted > 0 ? failuresPath : null, bulkOutcome, verified, caveat);
            if (removedStale)
            {
                console.WriteLine("Removed " + failuresPath + ", the failures file of an earlier run: every row of this run was accepted.");
            }

            if (stoppedBy is not null)
            {
                Terminal.Error(stoppedBy);
            }

            return ExitCode(signals > 0, ledger, bulkOutcome);
        }
    }

    /// <summary>
    /// 130 after Ctrl+C; 1 when a row failed or was not sent (invalid, refused, cut off); 4 when every row was accepted
    /// but some were not applied (no profile, batch not confirmed, reported not applied, not landed); 0 when every row was
    /// accepted and nothing says otherwise.
    /// </summary>
    internal static int ExitCode(bool interrupted, ImportLedger ledger, BulkImportOutcome? bulk) =>
        interrupted ? ExitCodes.Interrupted
        : ledger.Failed + ledger.Invalid + ledger.NotSent > 0 ? ExitCodes.Failed
        : ledger.NoProfile + ledger.Unconfirmed + ledger.NotLanded + (bulk?.NotApplied ?? 0) > 0 ? ExitCodes.NotApplied
        : ExitCodes.Success;

    /// <summary>
    /// The route: as asked with <c>--via</c>; otherwise bulk (v2) for a <c>thirdPartyId</c> file, since Bulk API v2 creates
    /// the profiles that do not exist yet where a single update would be dropped; row by row for a <c>pcId</c> file (bulk
    /// v1 drops unknown pcIds silently too, and Adobe advises against v2 with pcIds when Target uses the Experience Cloud ID).
    /// </summary>
    internal static bool ChooseBulk(string? via, ProfileIdKind idKind) => via switch
    {
        "bulk" => true,
        "single" => false,
        _ => idKind == ProfileIdKind.ThirdPartyId,
    };

    private static async Task<VerifyOutcome?> VerifyAsync(Settings settings, TargetSession session, CsvInspection inspection, ImportLedger ledger, DateTimeOffset sentAt, CancellationToken stop)
    {
        var after = settings.VerifyAfter ?? (session.Emulator is { } emulator ? emulator.Options.PropagationDelay + TimeSpan.FromSeconds(1) : TimeSpan.FromHours(1));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Verifying a sample of up to {settings.VerifySample:N0} accepted rows in {Durations.Format(after)} (--verify-after); Ctrl+C skips it."));
        try
        {
            await Task.Delay(after, stop).ConfigureAwait(false);
            return await ImportVerifier.VerifyAsync(settings.Path, inspection, ledger, session.FetchClient, sentAt, settings.VerifySample, settings.Concurrency, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static void WriteSummary(IAnsiConsole console, ImportLedger ledger, TimeSpan elapsed, string? failuresPath, BulkImportOutcome? bulk, VerifyOutcome? verified, string? caveat)
    {
        var table = new Table().Title("Import summary").AddColumn("").AddColumn(new TableColumn("Rows").RightAligned());
        table.AddRow("Rows in file", Count(ledger.Rows));
        table.AddRow("Accepted", Count(ledger.Accepted));
        table.AddRow("Failed", Count(ledger.Failed));
        table.AddRow("Invalid (not sent)", Count(ledger.Invalid));
        if (bulk is null)
        {
            table.AddRow("No profile (not sent)", Count(ledger.NoProfile));
        }

        table.AddRow("Not sent", Count(ledger.NotSent));
        if (ledger.Unconfirmed > 0)
        {
            table.AddRow("Not confirmed", Count(ledger.Unconfirmed));
        }

        if (verified is not null)
        {
            table.AddRow("Not landed (verified)", Count(ledger.NotLanded));
        }

        table.AddRow("Elapsed", elapsed.ToString(@"hh\:mm\:ss\.f", CultureInfo.InvariantCulture));
        table.AddRow("Rows/s", Count(elapsed.TotalSeconds > 0 ? (long)(ledger.Done / elapsed.TotalSeconds) : 0));
        console.Write(table);
        if (bulk is not null)
        {
            // Written as is, not wrapped at the terminal's width: each line ends with a status URL to copy.
            foreach (string line in bulk.BatchLines)
            {
                console.Profile.Out.Writer.WriteLine(line);
            }
        }

        console.WriteLine(AcceptedMeaning);
        if (verified is not null)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Verified {verified.Sampled:N0} accepted rows (a sample): {verified.Landed:N0} landed, {verified.NotLanded:N0} not landed{(verified.Superseded > 0 ? $", {verified.Superseded:N0} landed and since changed by another writer" : string.Empty)}{(verified.Unknown > 0 ? $", {verified.Unknown:N0} could not be read back" : string.Empty)}."));
        }

        if (ledger.NoProfile > 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ledger.NoProfile:N0} rows were not sent: Adobe Target has no profile with their id, and single updates to unknown ids are dropped. Import them with --via bulk (Bulk API v2 creates profiles)."));
        }

        if (ledger.Unconfirmed > 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ledger.Unconfirmed:N0} rows are in batches Adobe Target accepted but whose processing could not be confirmed; they are not counted as accepted."));
        }

        if (bulk is { NotApplied: > 0 })
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Adobe Target reported {bulk.NotApplied:N0} rows of accepted batches as not applied (profilesNotFound + failedUpdates); the status has counts only, so they cannot be told apart by row."));
        }

        if (failuresPath is not null)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ledger.Rows - ledger.Accepted:N0} rows not accepted were written to {failuresPath} (import it to send them again)."));
        }
        else if (bulk is not { NotApplied: > 0 })
        {
            console.WriteLine(caveat is null ? "Every row was accepted." : "Every row was accepted, but not every row is known to apply. " + caveat);
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed record Settings(string Path, string? Via, int Concurrency, string? FailuresPath, bool Wait, bool SkipInvalid, TimeSpan Grace, TimeSpan ProgressInterval, string? ApiVersion, int BatchRows, int BatchBytes, TimeSpan PollInterval, bool Verify, int VerifySample, TimeSpan? VerifyAfter, bool ExistenceCheck);
}
