namespace TargetProfileUpdate.Cli.Tests;

[Trait("Category", "Slow")]
public sealed class BadCsvTests : IDisposable
{
    private readonly TestFiles _files = new();

    public static TheoryData<string, byte[], string> Cases() => new()
    {
        { "missing id column", "email,tier\na@example.com,gold\n"u8.ToArray(), "line 1, column 1: the header's first column is 'email'; it must be thirdPartyId or pcId." },
        { "too many fields", "thirdPartyId,tier\ncrm-0,gold\ncrm-1,gold,oops\n"u8.ToArray(), "line 3, column 3: the row has 3 fields; the header has 2." },
        { "invalid UTF-8", [.. "thirdPartyId,tier\ncrm-0,gold\ncrm-1,g"u8, 0xC3, 0x28, .. "\n"u8], "line 3, column 8: invalid UTF-8" },
        { "too many fields after a quoted newline", "thirdPartyId,tier\n\"crm-0\",\"two\nlines\"\ncrm-1,gold,oops\n"u8.ToArray(), "line 4, column 3: the row has 3 fields; the header has 2." },
        { "empty file", [], "line 1: the file is empty" },
        { "attribute named like an id column", "thirdPartyId,tier,pcId\ncrm-0,gold,p0\n"u8.ToArray(), "line 1, column 3: 'pcId' is the name of an id column" },
        { "attribute named like an id column with prefix", "pcId,profile.thirdPartyId\np0,t0\n"u8.ToArray(), "line 1, column 2: 'profile.thirdPartyId' is the name of an id column" },
        { "empty id counted from line 1 without .NET text", "thirdPartyId,tier\ncrm-0,gold\n ,gold\n"u8.ToArray(), "line 3, column 1: the thirdPartyId is empty." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Import_BadCsv_NamesTheLine_SendsNothing_AndExits2(string name, byte[] content, string expected)
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(2);
        string csv = _files.PathOf(name.Replace(' ', '-') + ".csv");
        File.WriteAllBytes(csv, content);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", result.Error, StringComparison.Ordinal);
        Assert.Empty(emulator.GetRequests());
        Assert.False(File.Exists(Path.ChangeExtension(csv, ".failures.csv")));
    }

    [Fact]
    public async Task Import_WithoutClientCode_IsAConfigurationError_Exit2()
    {
        string csv = _files.WriteRows("rows.csv", 3);

        var result = await CliProcess.RunAsync(_files.Directory, ["import", csv]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--client-code", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_AreNotAcceptedAsArguments_Exit2()
    {
        var result = await CliProcess.RunAsync(_files.Directory, ["--token", "s3cr3t-value", "fetch", "--third-party-id", "x", "--emulator"]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("s3cr3t-value", result.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
