using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TargetProfileUpdate;
using TargetProfileUpdate.Emulator;

namespace QuickStart;

/// <summary>
/// Sends a small update (GET) and a large one (POST) and reads the profile back.
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
            var options = new TargetProfileUpdateOptions { ClientCode = realClientCode ?? "demo", AuthorizationToken = environment("TARGET_PROFILE_TOKEN") };
            if (realClientCode is null)
            {
                emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "demo" });
                emulator.SeedProfile(thirdPartyId: thirdPartyId); // Adobe only updates profiles that exist.
                options.BaseAddress = emulator.BaseAddress;
                output.WriteLine($"Using the embedded Target emulator at {emulator.BaseAddress} (set TARGET_CLIENT_CODE to use Adobe).");
            }
            else
            {
                output.WriteLine($"Using Adobe Target, client code '{realClientCode}'.");
            }

            using var client = new ProfileUpdateClient(options);

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

            if (emulator is not null)
            {
                // Read the profile back through the documented Profile Fetch API.
                using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
                using var profile = JsonDocument.Parse(await http.GetStringAsync($"rest/v1/profiles/thirdPartyId/{Uri.EscapeDataString(thirdPartyId)}?client=demo"));
                var attributes = profile.RootElement.GetProperty("profileAttributes");
                output.WriteLine();
                WriteTable(output, [["attribute", "value read back"], .. attributes.EnumerateObject().Select(a => new[] { a.Name, Shorten(a.Value.GetProperty("value").GetString()!) })]);
            }
            else
            {
                output.WriteLine("Accepted updates become visible on the profile within about an hour (at most 24 hours).");
            }

            return 0;
        }
        catch (ProfileUpdateException ex)
        {
            output.WriteLine($"The update failed: {ex.Message}");
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
