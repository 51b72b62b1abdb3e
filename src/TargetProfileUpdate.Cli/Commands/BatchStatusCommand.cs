using System;
using System.CommandLine;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using System.Web;
using Spectre.Console;
using TargetProfileUpdate.Cli.Bulk;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary><c>target-profile batch-status URL [--wait] [--poll-interval S]</c>: the state and counts of one Bulk API batch.</summary>
internal static class BatchStatusCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "The batch status URL, exactly as the upload returned it (import prints it)." };
        var wait = new Option<bool>("--wait") { Description = "Poll until the batch is complete or stuck." };
        var poll = new Option<string>("--poll-interval") { Description = "With --wait: time between two status requests, such as 30s or 1m (at least 1s; each counts against Target's 50 bulk calls per minute).", DefaultValueFactory = _ => "30s" };
        var command = new Command("batch-status", "Show the state and counts (consumedCount, successfulUpdates, profilesNotFound, failedUpdates) of a Bulk Profile Update batch. Exit code 0 when complete or still processing, 1 when stuck or the status request failed, 3 when the batch is not known (Adobe keeps the last 10 batches per client, for 24 hours).");
        command.Arguments.Add(url);
        command.Options.Add(wait);
        command.Options.Add(poll);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var statusUrl = TargetSession.ParseAbsolute(parseResult.GetRequiredValue(url), "URL (the batch status URL that the upload returned)")!;
            var batch = BatchOf(statusUrl);
            var pollInterval = Durations.Parse(parseResult.GetValue(poll), "--poll-interval", BulkProfileUpdateClientExtensions.MinPollInterval, TimeSpan.FromHours(1));

            var session = await TargetSession.OpenAsync(parseResult, null, cancellationToken, ClientCodeOf(statusUrl)).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                return await ShowAsync(new BulkRunner(session.BulkClient), batch, parseResult.GetValue(wait), pollInterval, Terminal.Out, cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>
    /// A <see cref="BulkBatch"/> for a status URL: the id from its <c>batchId</c> parameter, the version from its path
    /// (<c>/v2/</c>). The row range is unknown here and not used by a status request.
    /// </summary>
    internal static BulkBatch BatchOf(Uri statusUrl)
    {
        string? id = HttpUtility.ParseQueryString(statusUrl.Query)["batchId"];
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new UsageException("URL has no batchId parameter: pass the batch status URL exactly as the upload returned it (…/profile/batchStatus?batchId=…).");
        }

        var version = statusUrl.AbsolutePath.Contains("/v2/", StringComparison.Ordinal) ? BulkApiVersion.V2 : BulkApiVersion.V1;
        return new BulkBatch(id, statusUrl, firstIndex: 0, rows: 1, bytes: 1, version);
    }

    /// <summary>The client code in a status URL's path (<c>/m2/{clientCode}/…</c>), if any.</summary>
    internal static string? ClientCodeOf(Uri statusUrl)
    {
        string[] segments = statusUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 1 && segments[0] == "m2" ? Uri.UnescapeDataString(segments[1]) : null;
    }

    private static async Task<int> ShowAsync(BulkRunner runner, BulkBatch batch, bool wait, TimeSpan pollInterval, IAnsiConsole console, CancellationToken cancellationToken)
    {
        BulkBatchStatus status;
        try
        {
            status = await runner.StatusAsync(batch, wait, pollInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileApiException ex) when (ex.StatusCode == 404)
        {
            Terminal.Error("the batch is not known to the server (" + ErrorText.Describe(ex) + ")");
            return ExitCodes.NotFound;
        }
        catch (ProfileApiException ex) when (ex.StatusCode is null && ex.Attempts == 0)
        {
            Terminal.Error(ErrorText.Describe(ex) + " For a server other than Adobe Target, pass its address with --base-address.");
            return ExitCodes.Failed;
        }
        catch (ProfileApiException ex)
        {
            Terminal.Error(ErrorText.Describe(ex));
            return ExitCodes.Failed;
        }

        var table = new Table().Title("Batch status").AddColumn("").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("Batch id", Markup.Escape(status.BatchId));
        table.AddRow("State", BulkRunner.StateName(status.State));
        table.AddRow("batchSize", Number(status.BatchSize));
        table.AddRow("consumedCount", Number(status.ConsumedCount));
        table.AddRow("successfulUpdates", Number(status.SuccessfulUpdates));
        table.AddRow("profilesNotFound", Number(status.ProfilesNotFound));
        table.AddRow("failedUpdates", Number(status.FailedUpdates));
        console.Write(table);
        console.WriteLine(status.State switch
        {
            BulkBatchState.Complete => "The batch is complete.",
            BulkBatchState.Stuck => "The batch is stuck: Adobe Target did not process it. Send its rows again.",
            _ => "The batch is still being processed; run again with --wait to follow it to completion.",
        });
        return status.State == BulkBatchState.Stuck ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static string Number(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "n/a";
}
