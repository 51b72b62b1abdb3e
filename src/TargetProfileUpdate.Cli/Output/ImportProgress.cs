using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Spectre.Console;
using TargetProfileUpdate.Cli.Import;

namespace TargetProfileUpdate.Cli.Output;

/// <summary>
/// Shows an import's progress while <c>work</c> runs. On a terminal: a live Spectre.Console progress bar (rows per
/// second, accepted, failed, ETA from the row count the pre-pass found). Redirected: one plain line every
/// <c>interval</c>, with no escape codes.
/// </summary>
internal static class ImportProgress
{
    public static async Task<T> RunAsync<T>(ImportLedger ledger, TimeSpan interval, Func<Task<T>> work)
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
                    Console.Out.WriteLine(PlainLine(ledger, total, clock.Elapsed));
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
                var bar = context.AddTask(Describe(ledger, clock.Elapsed), maxValue: total);
                var task = work();
                while (!task.IsCompleted)
                {
                    await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(200))).ConfigureAwait(false);
                    bar.Value = ledger.Accepted + ledger.Failed;
                    bar.Description = Describe(ledger, clock.Elapsed);
                }

                bar.Value = ledger.Accepted + ledger.Failed;
                bar.Description = Describe(ledger, clock.Elapsed);
                bar.StopTask();
                return await task.ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private static string Describe(ImportLedger ledger, TimeSpan elapsed) => Markup.Escape(string.Create(
        CultureInfo.InvariantCulture,
        $"{Rate(ledger, elapsed),7:N0} rows/s  accepted {ledger.Accepted:N0}  failed {ledger.Failed:N0}"));

    private static string PlainLine(ImportLedger ledger, long total, TimeSpan elapsed)
    {
        long done = ledger.Accepted + ledger.Failed;
        double rate = Rate(ledger, elapsed);
        string eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate)).ToString("c", CultureInfo.InvariantCulture) : "unknown";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"progress: {done:N0}/{total:N0} rows ({100.0 * done / total:F1}%), accepted {ledger.Accepted:N0}, failed {ledger.Failed:N0}, {rate:N0} rows/s, ETA {eta}");
    }

    private static double Rate(ImportLedger ledger, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? (ledger.Accepted + ledger.Failed) / elapsed.TotalSeconds : 0;
}
