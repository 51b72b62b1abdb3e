using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Spectre.Console;
using System.Collections.Generic;
using TargetProfileUpdate.Cli.Bulk;
using TargetProfileUpdate.Cli.Import;

namespace TargetProfileUpdate.Cli.Output;

/// <summary>
/// Shows an import's progress while <c>work</c> runs. On a terminal: a live Spectre.Console progress bar (rows per
/// second, accepted, failed, ETA from the row count the pre-pass found). Redirected: one plain line every
/// <c>interval</c>, with no escape codes. For a bulk import the batches and their states are shown too (a line per
/// batch on a terminal, a count per state in the plain line), and rows count as accepted once their batch is.
/// </summary>
internal static class ImportProgress
{
    public static async Task<T> RunAsync<T>(ImportLedger ledger, BatchBoard? board, TimeSpan interval, Func<Task<T>> work)
    {
        var clock = Stopwatch.StartNew();
        long total = Math.Max(1, ledger.Rows - ledger.Invalid);
        if (!Terminal.IsInteractive)
        {
            var task = work();
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(interval)).ConfigureAwait(false);
                if (!task.IsCompleted)
                {
                    Console.Out.WriteLine(PlainLine(ledger, board, total, clock.Elapsed));
                    await Console.Out.FlushAsync().ConfigureAwait(false);
                }
            }

            return await task.ConfigureAwait(false);
        }

        return await Terminal.Out.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Describe(ledger, board, clock.Elapsed), maxValue: total);
                var batchBars = new List<ProgressTask>();
                var task = work();
                while (!task.IsCompleted)
                {
                    await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(200))).ConfigureAwait(false);
                    Update(bar, batchBars, context, ledger, board, clock.Elapsed);
                }

                Update(bar, batchBars, context, ledger, board, clock.Elapsed);
                bar.StopTask();
                batchBars.ForEach(b => b.StopTask());
                return await task.ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private static void Update(ProgressTask bar, List<ProgressTask> batchBars, ProgressContext context, ImportLedger ledger, BatchBoard? board, TimeSpan elapsed)
    {
        bar.Value = Done(ledger, board);
        bar.Description = Describe(ledger, board, elapsed);
        if (board is null)
        {
            return;
        }

        var batches = board.Snapshot();
        for (int i = 0; i < batches.Count; i++)
        {
            var view = batches[i];
            string description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"  batch {view.Number}: {view.Rows:N0} rows, {view.State}"));
            if (i == batchBars.Count)
            {
                batchBars.Add(context.AddTask(description, maxValue: 1));
            }

            batchBars[i].Description = description;
            batchBars[i].Value = view.Final is not null ? 1 : 0;
        }
    }

    private static string Describe(ImportLedger ledger, BatchBoard? board, TimeSpan elapsed) => Markup.Escape(string.Create(
        CultureInfo.InvariantCulture,
        $"{Rate(ledger, board, elapsed),7:N0} rows/s  accepted {Accepted(ledger, board):N0}  failed {ledger.Failed:N0}{Extra(ledger)}"));

    private static string PlainLine(ImportLedger ledger, BatchBoard? board, long total, TimeSpan elapsed)
    {
        long accepted = Accepted(ledger, board);
        long done = Done(ledger, board);
        double rate = Rate(ledger, board, elapsed);
        string eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate)).ToString("c", CultureInfo.InvariantCulture) : "unknown";
        string batches = board is null ? string.Empty : ", " + board.Summary();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"progress: {done:N0}/{total:N0} rows ({100.0 * done / total:F1}%), accepted {accepted:N0}, failed {ledger.Failed:N0}{Extra(ledger)}, {rate:N0} rows/s, ETA {eta}{batches}");
    }

    /// <summary>Rows that reached an answer: accepted (for bulk, in accepted batches until the ledger is settled), failed, or found without a profile.</summary>
    private static long Done(ImportLedger ledger, BatchBoard? board) => Accepted(ledger, board) + ledger.Failed + ledger.NoProfile;

    private static string Extra(ImportLedger ledger) =>
        (ledger.NoProfile > 0 ? string.Create(CultureInfo.InvariantCulture, $", no profile {ledger.NoProfile:N0}") : string.Empty)
        + (ledger.WaitingForCircuit ? ", waiting for the server (circuit breaker open)" : string.Empty);

    /// <summary>Rows accepted so far: for bulk, the rows of accepted batches until the ledger is settled.</summary>
    private static long Accepted(ImportLedger ledger, BatchBoard? board) =>
        board is { Settled: false } ? board.RowsSent : ledger.Accepted;

    private static double Rate(ImportLedger ledger, BatchBoard? board, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? Done(ledger, board) / elapsed.TotalSeconds : 0;
}
