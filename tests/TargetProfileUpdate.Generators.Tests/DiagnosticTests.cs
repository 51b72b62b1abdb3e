using TargetProfileUpdate.Contract;

namespace TargetProfileUpdate.Generators.Tests;

/// <summary>Each diagnostic id fires on a minimal sample, at the right place, and valid code reports nothing.</summary>
public sealed class DiagnosticTests
{
    private static string Schema(string members, string declaration = "public partial class Customer") => $$"""
        using System;
        using System.Collections.Generic;
        using TargetProfileUpdate;

        namespace Sample;

        [ProfileAttributes]
        {{declaration}}
        {
        {{members}}
        }
        """;

    [Fact]
    public void ValidSchema_ReportsNothing()
    {
        var result = GeneratorHarness.Run(SnapshotTests.SampleSchema);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("TPU001", """[ProfileAttribute("  ")] public string? Tier { get; set; }""")]
    [InlineData("TPU001", """[ProfileAttribute("")] public string? Tier { get; set; }""")]
    [InlineData("TPU002", """[ProfileAttribute("profile.tier")] public string? Tier { get; set; }""")]
    [InlineData("TPU003", """public int? SessionCount { get; set; }""")]
    [InlineData("TPU003", """public string? Mobile { get; set; }""")]
    [InlineData("TPU003", """[ProfileAttribute("user.pcId")] public string? Pc { get; set; }""")]
    [InlineData("TPU003", """[ProfileAttribute("geolocation.city")] public string? City { get; set; }""")]
    [InlineData("TPU003", """[ProfileAttribute("mbox3rdPartyId")] public string? Crm { get; set; }""")]
    [InlineData("TPU004", """public string? LoyaltyTier { get; set; } [ProfileAttribute("loyaltytier")] public string? Other { get; set; }""")]
    [InlineData("TPU004", """public string? Tier { get; set; } [ProfileAttribute("tier")] public string? Other { get; set; }""")]
    [InlineData("TPU009", """[ProfileAttribute("tier ")] public string? Tier { get; set; }""")]
    [InlineData("TPU009", """[ProfileAttribute("tier\n")] public string? Tier { get; set; }""")]
    [InlineData("TPU006", """public List<string>? Tags { get; set; }""")]
    [InlineData("TPU006", """public float Ratio { get; set; }""")]
    [InlineData("TPU006", """public DateTime When { get; set; }""")]
    [InlineData("TPU006", """public Guid Id { get; set; }""")]
    public void Member_BreakingARule_ReportsItsIdOnce(string id, string members)
    {
        var result = GeneratorHarness.Run(Schema(members));

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        var where = diagnostic.Location.GetLineSpan();
        Assert.Equal("Sample.cs", where.Path);
        Assert.Equal(9, where.StartLinePosition.Line);
    }

    [Fact]
    public void TPU005_NameOver128Characters_IsAWarningAndTheCodeStillGenerates()
    {
        string name = new('a', 129);
        var result = GeneratorHarness.Run(Schema($$"""[ProfileAttribute("{{name}}")] public string? Long { get; set; }"""));

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TPU005", diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("129 characters", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Single(result.Sources);
        Assert.Empty(result.CompilerErrors);
    }

    [Fact]
    public void TPU005_NameOfExactly128Characters_IsSilent()
    {
        var result = GeneratorHarness.Run(Schema($$"""[ProfileAttribute("{{new string('a', 128)}}")] public string? Long { get; set; }"""));

        Assert.Empty(result.GeneratorDiagnostics);
    }

    [Fact]
    public void TPU006_UnsupportedType_NamesThePropertyAndTypeAndSkipsOnlyThatProperty()
    {
        var result = GeneratorHarness.Run(Schema("""
            public string? Tier { get; set; }
            public List<string>? Tags { get; set; }
            """));

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TPU006", diagnostic.Id);
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'Tags'", message, StringComparison.Ordinal);
        Assert.Contains("List<string>", message, StringComparison.Ordinal);
        Assert.Contains("\"tier\"", Assert.Single(result.Sources).Value, StringComparison.Ordinal);
        Assert.DoesNotContain("tags", Assert.Single(result.Sources).Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public class Customer")]
    [InlineData("public record Customer")]
    public void TPU007_NonPartialType_IsReportedAndNothingIsGenerated(string declaration)
    {
        var result = GeneratorHarness.Run(Schema("public string? Tier { get; set; }", declaration));

        Assert.Equal("TPU007", Assert.Single(result.GeneratorDiagnostics).Id);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void TPU007_PartialTypeInsideNonPartialType_IsReported()
    {
        var result = GeneratorHarness.Run("""
            using TargetProfileUpdate;
            public class Outer
            {
                [ProfileAttributes]
                public partial class Inner { public string? Tier { get; set; } }
            }
            """);

        Assert.Equal("TPU007", Assert.Single(result.GeneratorDiagnostics).Id);
    }

    [Fact]
    public void TPU008_NoParameterlessConstructor_IsReportedAndToUpdateIsStillGenerated()
    {
        var result = GeneratorHarness.Run(Schema("public string? Tier { get; set; }", "public partial record Customer(int Id)"));

        Assert.Equal("TPU008", Assert.Single(result.GeneratorDiagnostics).Id);
        string source = Assert.Single(result.Sources).Value;
        Assert.Contains("ToUpdate", source, StringComparison.Ordinal);
        Assert.DoesNotContain("FromProfile", source, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCompileTimeRule_HasATestAbove()
    {
        // The rule table is the source of truth: a new compile-time rule must get a test here.
        string[] tested = ["TPU001", "TPU002", "TPU003", "TPU004", "TPU005", "TPU006", "TPU007", "TPU008", "TPU009"];
        Assert.Equal(tested, ProfileAttributeRules.All.Where(r => r.CompileTime).Select(r => r.Id));
    }

    [Fact]
    public void DiagnosticMessages_AreTheRuleTableTexts()
    {
        var result = GeneratorHarness.Run(Schema("""public int? SessionCount { get; set; }"""));

        Assert.Equal(
            ProfileAttributeRules.ReservedName.Format("sessionCount"),
            Assert.Single(result.GeneratorDiagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
