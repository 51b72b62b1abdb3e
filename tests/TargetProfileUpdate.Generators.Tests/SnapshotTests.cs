using System.Reflection;

namespace TargetProfileUpdate.Generators.Tests;

/// <summary>
/// The generated source of a sample schema, compared with the checked-in snapshot in Snapshots/. A deliberate change of
/// the output: run the tests once with <c>TPU_ACCEPT_SNAPSHOTS=1</c>, which rewrites the snapshot, and review its diff.
/// </summary>
public sealed class SnapshotTests
{
    internal const string SampleSchema = """
        using System;
        using TargetProfileUpdate;

        namespace Sample;

        public enum Tier
        {
            Bronze,
            Silver,
            Gold,
            Platinum = 10,
            Best = 10,
        }

        [ProfileAttributes]
        public partial class Customer
        {
            public string? LoyaltyTier { get; set; }

            [ProfileAttribute("ltv")]
            public decimal? LifetimeValue { get; set; }

            public decimal Balance { get; set; }

            public bool Subscribed { get; set; }

            public bool? EmailOptIn { get; set; }

            public int Visits { get; set; }

            public int? Age { get; set; }

            public long Points { get; set; }

            public long? ExternalNumber { get; set; }

            public double Score { get; set; }

            public double? Ratio { get; set; }

            public DateTimeOffset LastContact { get; set; }

            public DateTimeOffset? FirstPurchase { get; init; }

            public Tier Tier { get; set; }

            [ProfileAttribute("favorite.tier")]
            public Tier? FavoriteTier { get; set; }

            public string Note { get; set; } = "none";

            public string ReadOnlyComputed => LoyaltyTier + "!";

            internal string? Hidden { get; set; }

            public static string? Shared { get; set; }
        }
        """;

    [Fact]
    public void Generate_SampleSchema_MatchesCheckedInSnapshot()
    {
        var result = GeneratorHarness.Run(SampleSchema);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilerErrors);
        var (hint, source) = Assert.Single(result.Sources);
        Assert.Equal("Sample.Customer.ProfileAttributes.g.cs", hint);
        AssertSnapshot("Sample.Customer.ProfileAttributes.g.cs.txt", source);
    }

    [Fact]
    public void Generate_NestedGenericRecordInGlobalNamespace_CompilesWithoutWarnings()
    {
        var result = GeneratorHarness.Run("""
            using TargetProfileUpdate;

            public static partial class Outer
            {
                [ProfileAttributes]
                public partial record Inner<T>
                {
                    public string? Name { get; init; }
                }

                [ProfileAttributes]
                public partial struct Point
                {
                    public int X { get; set; }
                }
            }
            """);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        Assert.Equal(2, result.Sources.Count);
    }

    private static void AssertSnapshot(string fileName, string actual)
    {
        // The directory comes from the build, not from [CallerFilePath]: CI builds set ContinuousIntegrationBuild,
        // whose path map turns source paths into "/_/…", and a snapshot looked up there is never found.
        string path = Path.Combine(SnapshotDirectory(), fileName);
        if (Environment.GetEnvironmentVariable("TPU_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), "No snapshot at " + path + ": run the tests with TPU_ACCEPT_SNAPSHOTS=1 to write it, then review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }

    private static string SnapshotDirectory() =>
        typeof(SnapshotTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SnapshotDirectory").Value!;
}
