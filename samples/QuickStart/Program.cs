using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate;
using TargetProfileUpdate.Emulator;

namespace QuickStart;

/// <summary>
/// Sends a small update (GET) and a large one (POST) and reads the profile back through IProfileFetchClient.
/// With no TARGET_CLIENT_CODE it runs against the emulator, started in-process; with it, against Adobe.
/// </summary>
public static class Program
{
    public static Task<int> Main() => RunAsync(Console.Out, Environment.GetEnvironmentVariable);

    public static async Task<int> RunAsync(TextWriter output, Func<string, string?> environment)
    {
        string? realClientCode = environment("TARGET_CLIENT_CODE");
        string thirdPartyId = environment("TARGET_THIRD_PARTY_ID") ?? "quickstart-customer-1";
        TargetEmulator? emulator = null;
        try
        {
            if (realClientCode is null)
            {
                // Zero propagation delay, said explicitly, so this sample can read its own write at once; Adobe (and the
                // emulator by default) take a while: see the delays line below.
                emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "demo", PropagationDelay = TimeSpan.Zero });
                emulator.SeedProfile(thirdPartyId: thirdPartyId); // Adobe only updates profiles that exist.
                output.WriteLine($"Using the embedded Target emulator at {emulator.BaseAddress} (set TARGET_CLIENT_CODE to use Adobe).");
                output.WriteLine(TargetEmulatorCommandLine.DescribeDelays(emulator.Options) + " Adobe: updates are usually visible within an hour.");
            }
            else
            {
                output.WriteLine($"Using Adobe Target, client code '{realClientCode}'.");
            }

            // One registration gives both clients: updates and the Profile Fetch API share the account's HTTP client and token.
            var services = new ServiceCollection();
            services.AddTargetProfileUpdate(options =>
            {
                options.ClientCode = realClientCode ?? "demo";
                options.AuthorizationToken = environment("TARGET_PROFILE_TOKEN");
                if (emulator is not null)
                {
                    options.BaseAddress = emulator.BaseAddress;
                }
            });
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IProfileUpdateClient>();
            var profiles = provider.GetRequiredService<IProfileFetchClient>();

            var small = ProfileUpdate.ForThirdPartyId(thirdPartyId)
                .Set("loyaltyTier", "gold")
                .Set("lifetimeValue", 1234.50m)
                .Set("lastStore", "Zürich Hauptbahnhof");
            var large = ProfileUpdate.ForThirdPartyId(thirdPartyId)
                .Set("callCentreNotes", string.Concat(Enumerable.Repeat("Asked about the mortgage offer; prefers e-mail. ", 200)));

            var rows = new List<string[]> { new[] { "update", "method", "attempts", "bytes", "server said" } };
            foreach (var (name, update) in new[] { ("small", small), ("large", large) })
            {
                var result = await client.UpdateAsync(update);
                rows.Add([name, result.HttpMethod.Method, result.Attempts.ToString(CultureInfo.InvariantCulture), result.RequestBytes.ToString(CultureInfo.InvariantCulture), result.Message]);
            }

            WriteTable(output, rows);

            // Read the profile back through the Profile Fetch API (null when Target has no profile for the id).
            output.WriteLine();
            var profile = await profiles.GetProfileAsync(ProfileId.FromThirdPartyId(thirdPartyId));
            if (profile is null)
            {
                output.WriteLine("Target has no profile for this id.");
            }
            else
            {
                WriteTable(output, [["attribute", "value read back"], .. profile.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new[] { a.Key, Shorten(a.Value.Value) })]);
            }

            if (emulator is null)
            {
                output.WriteLine("Accepted updates become visible on the profile within about an hour (at most 24 hours): the values above may not show them yet.");
            }

            return 0;
        }
        catch (ProfileApiException ex)
        {
            // ProfileApiException for the updates, ProfileApiException for the fetch; messages never carry ids or values.
            output.WriteLine($"The call failed: {ex.Message}");
            return 1;
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + $"... ({value.Length} chars)";

    private static void WriteTable(TextWriter output, List<string[]> rows)
    {
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
