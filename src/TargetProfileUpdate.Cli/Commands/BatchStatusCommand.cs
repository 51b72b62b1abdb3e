using System.CommandLine;
using System.Threading.Tasks;
using TargetProfileUpdate.Cli.Bulk;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary><c>target-profile batch-status URL [--wait]</c>: the state of one Bulk API batch.</summary>
internal static class BatchStatusCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("URL") { Description = "The batch status URL, exactly as the upload returned it (import prints it)." };
        var wait = new Option<bool>("--wait") { Description = "Poll until the batch is complete or stuck." };
        var command = new Command("batch-status", "Show the state and counts of a Bulk Profile Update batch.");
        command.Arguments.Add(url);
        command.Options.Add(wait);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var statusUrl = TargetSession.ParseAbsolute(parseResult.GetRequiredValue(url), "URL (the batch status URL that the upload returned)")!;

            var session = await TargetSession.OpenAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                var bulk = BulkRunnerFactory.Create(session.Services);
                if (!bulk.IsAvailable)
                {
                    throw BulkRunnerFactory.NotAvailable();
                }

                return await bulk.ShowStatusAsync(statusUrl, parseResult.GetValue(wait), Terminal.Out, cancellationToken).ConfigureAwait(false);
            }
        });
        return command;
    }
}
