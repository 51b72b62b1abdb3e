using System.Text.RegularExpressions;

namespace TargetProfileUpdate.SamplesTests;

/// <summary>
/// README.md's C# blocks compile as a plain worker would: each block is either a whole file of samples/ReadmeSnippets
/// (a `dotnet new worker` project plus only the packages the README names above the block; each file starts with the
/// usings it needs), or a run of samples/QuickStart/Program.cs (the quick start, quoted from the sample it runs).
/// A block edited in the README but not in its file (or the other way round) fails here.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void EveryCSharpBlockOfTheReadme_IsAWholeSnippetFileOrARunOfTheQuickStart()
    {
        string root = FindRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var files = Directory.GetFiles(Path.Combine(root, "samples", "ReadmeSnippets"), "*.cs")
            .Where(f => Path.GetFileName(f) != "Program.cs")
            .ToDictionary(f => Path.GetFileName(f), f => Lines(File.ReadAllText(f)));
        var quickStart = Lines(File.ReadAllText(Path.Combine(root, "samples", "QuickStart", "Program.cs")));

        var blocks = CSharpBlock().Matches(readme).Select(m => Lines(m.Groups[1].Value)).ToList();

        Assert.True(blocks.Count >= 5, $"README has only {blocks.Count} C# blocks; expected the quick start, registration, errors, a schema and testing.");
        Assert.True(ContainsRun(quickStart, blocks[0]), "The README's first C# block (the quick start) is not a run of samples/QuickStart/Program.cs:\n" + string.Join('\n', blocks[0]));
        var quoted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in blocks.Skip(1))
        {
            var file = files.FirstOrDefault(f => f.Value.SequenceEqual(block));
            Assert.True(file.Key is not null, "This README block is not a whole file of samples/ReadmeSnippets:\n" + string.Join('\n', block));
            quoted.Add(file.Key);
            Assert.StartsWith("using ", block[0], StringComparison.Ordinal);
        }

        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), quoted.Order(StringComparer.Ordinal));
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    private static bool ContainsRun(List<string> haystack, List<string> needle)
    {
        for (int start = 0; start + needle.Count <= haystack.Count; start++)
        {
            int i = 0;
            while (i < needle.Count && haystack[start + i] == needle[i])
            {
                i++;
            }

            if (i == needle.Count)
            {
                return true;
            }
        }

        return false;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TargetProfileUpdate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (TargetProfileUpdate.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
