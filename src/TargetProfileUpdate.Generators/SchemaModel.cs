using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TargetProfileUpdate.Generators;

/// <summary>What the emitter needs of one <c>[ProfileAttributes]</c> type: plain, equatable data (no symbols, no syntax).</summary>
internal sealed record SchemaModel(
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string Declaration,
    string FullName,
    string DisplayName,
    string HintName,
    bool CanConstruct,
    EquatableArray<PropertyModel> Properties,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool Generate);

/// <summary>The kind of value a property holds; each maps to one typed <c>ProfileUpdate.Set</c> overload and one parser.</summary>
internal enum ValueKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Double,
    Decimal,
    DateTimeOffset,
    Enum,
}

/// <summary>One property that becomes a profile attribute.</summary>
internal sealed record PropertyModel(
    string PropertyName,
    string AttributeName,
    ValueKind Kind,
    bool IsNullableValue,
    string TypeName,
    EquatableArray<EnumMember> EnumMembers);

/// <summary>One named member of an enum: its name and whether it is the first name of its value (aliases are read, not written).</summary>
internal sealed record EnumMember(string Name, bool IsFirstOfValue);

/// <summary>A diagnostic to report, with its location as plain data.</summary>
internal sealed record DiagnosticInfo(string RuleId, string? FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(string ruleId, Location? location, params string[] arguments) => new(
        ruleId,
        location?.SourceTree?.FilePath,
        location?.SourceSpan ?? default,
        location?.GetLineSpan().Span ?? default,
        new EquatableArray<string>(System.Collections.Immutable.ImmutableArray.Create(arguments)));

    public Location ToLocation() => FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
}
