using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TargetProfileUpdate.Generators;

namespace TargetProfileUpdate.Generators.Tests;

/// <summary>Runs the generator the way the compiler does (CSharpGeneratorDriver) over one source file that references the SDK.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(ProfileUpdate).Assembly.Location);
        return paths.Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12);

    /// <summary>The result of one run: the generated sources (by hint name), the generator's diagnostics, and the compiler's
    /// diagnostics of the user's code together with the generated code.</summary>
    public sealed record Result(IReadOnlyDictionary<string, string> Sources, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompilationDiagnostics, Compilation Output)
    {
        public IEnumerable<string> GeneratorIds => GeneratorDiagnostics.Select(d => d.Id);

        public IEnumerable<Diagnostic> CompilerErrors => CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
    }

    public static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Sample",
        [CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Sample.cs")],
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static Result Run(string source)
    {
        var driver = CSharpGeneratorDriver.Create([new ProfileSchemaGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
        driver = (CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(Compile(source), out var output, out var diagnostics);
        var run = driver.GetRunResult();
        var sources = run.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        return new Result(sources, diagnostics, output.GetDiagnostics(), output);
    }
}
