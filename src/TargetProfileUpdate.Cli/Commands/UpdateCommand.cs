using System;
using System.CommandLine;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary><c>target-profile update (--third-party-id ID | --pc-id ID) --set name=value [--set …]</c>.</summary>
internal static class UpdateCommand
{
    public static Command Create()
    {
        var ids = new IdOptions(allowEcid: false);
        var set = new Option<string[]>("--set")
        {
            Description = "An attribute to set, as name=value (plain text: the tool encodes it). Repeat for more.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("update", "Update one profile through the Single Profile Update API, and print the method, the attempts and the server's answer.");
        ids.AddTo(command);
        command.Options.Add(set);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, ids, set, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, IdOptions ids, Option<string[]> set, CancellationToken cancellationToken)
    {
        ProfileUpdate update;
        try
        {
            update = new ProfileUpdate(ids.GetId(parseResult));
            foreach (string pair in parseResult.GetValue(set) ?? [])
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new UsageException("--set takes name=value; one was given without a name or without '='.");
                }

                update.Set(pair[..equals], pair[(equals + 1)..]);
            }
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        var session = await TargetSession.OpenAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var console = Terminal.Out;
            try
            {
                var result = await session.UpdateClient.UpdateAsync(update, cancellationToken).ConfigureAwait(false);
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow(new Text("Result"), new Text("accepted"));
                grid.AddRow(new Text("Method"), new Text(result.HttpMethod.Method));
                grid.AddRow(new Text("Attempts"), new Text(result.Attempts.ToString(CultureInfo.InvariantCulture)));
                grid.AddRow(new Text("Request bytes"), new Text(result.RequestBytes.ToString(CultureInfo.InvariantCulture)));
                grid.AddRow(new Text("Server answer"), new Text(result.Message));
                console.Write(grid);
                return ExitCodes.Success;
            }
            catch (ProfileUpdateTooLargeException ex)
            {
                throw new UsageException(ex.Message, ex);
            }
            catch (ProfileApiException ex)
            {
                Terminal.Error("the update was not accepted: " + ErrorText.Describe(ex));
                return ExitCodes.Failed;
            }
        }
    }
}
