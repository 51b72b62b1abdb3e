using System.Text;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary>A temporary folder per test, CSV writing and reading helpers, and an emulator seeded with the rows' profiles.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "target-profile-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public static string Id(int i) => "crm-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <c>thirdPartyId,tier,note</c> rows for ids 0..count-1; the note needs quoting (comma, quote, non-ASCII).</summary>
    public string WriteRows(string name, int count)
    {
        string path = PathOf(name);
        var text = new StringBuilder("thirdPartyId,tier,note\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(Id(i)).Append(",tier-").Append(i).Append(",\"a, \"\"quoted\"\" é ").Append(i).Append("\"\n");
        }

        File.WriteAllText(path, text.ToString(), new System.Text.UTF8Encoding(false));
        return path;
    }

    public static string ExpectedNote(int i) => "a, \"quoted\" é " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An emulator seeded with the profiles of ids 0..profiles-1. Delays are zero, stated here, so a change of the
    /// emulator's defaults never changes what these tests see.</summary>
    public static async Task<TargetEmulator> StartEmulatorAsync(int profiles, Action<TargetEmulatorOptions>? configure = null)
    {
        var options = new TargetEmulatorOptions
        {
            ClientCode = "clitest",
            MaxRecordedRequests = 100,
            PropagationDelay = TimeSpan.Zero,
            BatchProcessingDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var emulator = await TargetEmulator.StartAsync(options);
        for (int i = 0; i < profiles; i++)
        {
            emulator.SeedProfile(pcId: "pc-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), thirdPartyId: Id(i));
        }

        return emulator;
    }

    public static string[] Target(TargetEmulator emulator) => ["--base-address", emulator.BaseAddress.ToString(), "--client-code", emulator.ClientCode];

    /// <summary>The ids whose profile has the <c>tier</c> the rows set.</summary>
    public static HashSet<string> UpdatedIds(TargetEmulator emulator) =>
        emulator.GetProfiles()
            .Where(p => p.ThirdPartyId is not null && p.Attributes.TryGetValue("tier", out var tier) && tier.Value == "tier-" + p.ThirdPartyId["crm-".Length..])
            .Select(p => p.ThirdPartyId!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Reads a CSV file with CsvHelper (the reader under test is not used to check itself: plain RFC 4180 records).</summary>
    public static List<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        using var parser = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
