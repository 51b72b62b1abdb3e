using System;
using System.CommandLine;
using System.Threading.Tasks;
using TargetProfileUpdate.Cli.Commands;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli;

/// <summary>
/// <c>target-profile</c>: the jobs people do by hand against Adobe Target's profile APIs: import a CSV, update or
/// read one profile, follow a bulk batch, run the local emulator. Exit codes: see <see cref="ExitCodes"/>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The emulator command takes exactly the standalone emulator's options (TargetEmulatorCommandLine), help included,
        // so it is handed over before parsing.
        if (args.Length > 0 && args[0] == "emulator")
        {
            return await EmulatorHost.RunStandaloneAsync(args[1..]).ConfigureAwait(false);
        }

        // A secret on the command line shows up in process lists and shell history: refuse it without echoing it.
        if (SecretArguments.FindSecretOption(args) is { } secret)
        {
            Terminal.Error(secret + " is not accepted: secrets are never taken from the command line. Set TARGET_PROFILE_TOKEN, or TARGET_IMS_CLIENT_ID and TARGET_IMS_CLIENT_SECRET, in the environment.");
            return ExitCodes.Usage;
        }

        var root = BuildCommand();
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                Terminal.Error(SecretArguments.Redact(error.Message, args, root));
            }

            Console.Error.WriteLine("Run 'target-profile --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            // Ctrl+C is handled by the commands themselves (import lets requests in flight finish).
            return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            Terminal.Error(ex.Message);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The SDK's messages never hold a token, an id or a value; the stack trace is not shown.
            Terminal.Error("unexpected failure (" + ex.GetType().Name + "): " + ex.Message);
            return ExitCodes.Failed;
        }
    }

    internal static RootCommand BuildCommand()
    {
        var root = new RootCommand("target-profile: import CSV files into Adobe Target profiles, update or read one profile, follow bulk batches, or run the local emulator.\n" + GlobalOptions.HelpEpilog);
        root.Options.Add(GlobalOptions.ClientCode);
        root.Options.Add(GlobalOptions.BaseAddress);
        root.Options.Add(GlobalOptions.Emulator);
        root.Subcommands.Add(UpdateCommand.Create());
        root.Subcommands.Add(FetchCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(BatchStatusCommand.Create());
        root.Subcommands.Add(PrivacyCommand.Create());
        root.Subcommands.Add(LintCommand.Create());
        root.Subcommands.Add(EmulatorCommand());
        return root;
    }

    private static Command EmulatorCommand()
    {
        var command = new Command(
            "emulator",
            "Run the local Target emulator (update, fetch, bulk with batch status, tokens, inspection, fault injection) until Ctrl+C. "
            + "It takes the standalone emulator's options (--urls, --client-code, --bulk-max-rows, --batch-processing-delay, …; environment TARGET_EMULATOR_<KEY>): "
            + "run 'target-profile emulator --help' for the list.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ => 0);
        return command;
    }
}
