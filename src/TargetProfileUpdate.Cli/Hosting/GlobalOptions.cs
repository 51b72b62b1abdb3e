using System.CommandLine;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// The options every command takes. Secrets have no option on purpose: a command line shows up in process
/// lists and shell history, so tokens and client secrets come from environment variables only.
/// </summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> ClientCode = new("--client-code")
    {
        Description = "Your Adobe Target client code (default: the TARGET_CLIENT_CODE environment variable).",
        Recursive = true,
    };

    public static readonly Option<string?> BaseAddress = new("--base-address")
    {
        Description = "The server to talk to (default: https://{client-code}.tt.omtrdc.net/). Plain http is accepted for loopback only.",
        Recursive = true,
    };

    public static readonly Option<bool> Emulator = new("--emulator")
    {
        Description = "Run the command against an embedded emulator (offline, seeded with demo profiles demo-1, demo-2 and demo-3). Its state lives for this one command.",
        Recursive = true,
    };

    /// <summary>The environment variables that configure the account.</summary>
    public const string HelpEpilog =
        "Environment: TARGET_CLIENT_CODE, TARGET_PROFILE_TOKEN (profile API token), or the Adobe IMS credentials " +
        "TARGET_IMS_CLIENT_ID, TARGET_IMS_CLIENT_SECRET, TARGET_IMS_SCOPES, TARGET_TENANT. Secrets are never read from the command line.";
}
