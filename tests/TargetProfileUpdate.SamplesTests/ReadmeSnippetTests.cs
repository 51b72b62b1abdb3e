using System.Text.RegularExpressions;

namespace TargetProfileUpdate.SamplesTests;

/// <summary>
/// README.md's C# blocks compile: each one must be found, line for line (indentation aside), in
/// samples/ReadmeSnippets/Snippets.cs, which builds with the solution. A block edited in the README but not in the
/// snippets (or the other way round) fails here.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void EveryCSharpBlockOfTheReadme_IsCompiledInReadmeSnippets()
    {
        string root = FindRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var snippets = Lines(File.ReadAllText(Path.Combine(root, "samples", "ReadmeSnippets", "Snippets.cs")));

        var blocks = CSharpBlock().Matches(readme).Select(m => Lines(m.Groups[1].Value)).ToList();

        Assert.True(blocks.Count >= 8, $"README has only {blocks.Count} C# blocks; expected the quick start, accounts, authentication, fetch, bulk, many updates, Redis and testing.");
        foreach (var block in blocks)
        {
            Assert.True(ContainsRun(snippets, block), "This README block is not in samples/ReadmeSnippets/Snippets.cs:\n" + string.Join('\n', block));
        }
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
