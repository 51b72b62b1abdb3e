using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// Every use of the emulator by the tool, in one place: the <c>emulator</c> command (the standalone emulator's
/// own program, with exactly its options) and the embedded emulator behind <c>--emulator</c>.
/// </summary>
internal static class EmulatorHost
{
    /// <summary>The demo profiles the embedded emulator starts with (so <c>fetch</c> and <c>update</c> have something to work on).</summary>
    public static readonly IReadOnlyList<ProfileSeed> DemoProfiles =
    [
        new ProfileSeed { ThirdPartyId = "demo-1", PcId = "demo-pc-1", Attributes = { ["loyaltyTier"] = "gold", ["favoriteColor"] = "blue" } },
        new ProfileSeed { ThirdPartyId = "demo-2", PcId = "demo-pc-2", Attributes = { ["loyaltyTier"] = "silver" } },
        new ProfileSeed { ThirdPartyId = "demo-3", PcId = "demo-pc-3" },
    ];

    /// <summary>
    /// Runs the emulator with its own options, parsed by <see cref="TargetEmulatorCommandLine"/> (same names, same
    /// <c>TARGET_EMULATOR_*</c> environment variables, same defaults), until Ctrl+C.
    /// </summary>
    /// <returns>0 after Ctrl+C or for help; 2 for an invalid option or an address already in use (one line names it).</returns>
    public static Task<int> RunStandaloneAsync(string[] args) =>
        TargetEmulatorCommandLine.RunAsync(args, "target-profile emulator", Console.Out, Console.Error);

    /// <summary>The client id of the embedded emulator's IMS, for commands that call its Admin API (<c>lint --catalog</c>).</summary>
    public const string DemoImsClientId = "target-profile-emulator";

    /// <summary>The client secret of the embedded emulator's IMS (a demo value: the emulator is local and lives for one command).</summary>
    public const string DemoImsClientSecret = "target-profile-emulator-secret";

    /// <summary>Starts an in-process emulator on a free loopback port, seeded with <see cref="DemoProfiles"/>.</summary>
    /// <param name="clientCode">The client code (also the Admin API's tenant).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="adminApi">Whether its IMS and Admin API accept <see cref="DemoImsClientId"/> (its profile endpoints then
    /// require the profile token, as Adobe's do with authentication on).</param>
    public static async Task<TargetEmulator> StartEmbeddedAsync(string clientCode, CancellationToken cancellationToken, bool adminApi = false)
    {
        // The embedded emulator lives for one command: delays would only make that command wait, so they are zero here.
        var options = new TargetEmulatorOptions { ClientCode = clientCode, PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero };
        if (adminApi)
        {
            options.ImsClientId = DemoImsClientId;
            options.ImsClientSecret = DemoImsClientSecret;
        }

        foreach (var seed in DemoProfiles)
        {
            options.Profiles.Add(seed);
        }

        return await TargetEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
