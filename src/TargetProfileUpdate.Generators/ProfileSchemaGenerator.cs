using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TargetProfileUpdate.Contract;

namespace TargetProfileUpdate.Generators;

/// <summary>
/// Generates <c>ToUpdate(ProfileId)</c>, <c>static FromProfile(TargetProfile)</c> and <c>static AttributeNames</c> for
/// every <c>[ProfileAttributes]</c> partial type, and reports the shared rule table's compile-time rules (TPU001 to TPU008).
/// Incremental: the syntax provider picks the attributed types, the transform turns each into an equatable
/// <see cref="SchemaModel"/>, and source is emitted only when a model changes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProfileSchemaGenerator : IIncrementalGenerator
{
    internal const string SchemaAttribute = "TargetProfileUpdate.ProfileAttributesAttribute";
    internal const string NameAttribute = "TargetProfileUpdate.ProfileAttributeAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var schemas = context.SyntaxProvider.ForAttributeWithMetadataName(
            SchemaAttribute,
            static (node, _) => node is TypeDeclarationSyntax,
            static (ctx, ct) => Build((TypeDeclarationSyntax)ctx.TargetNode, (INamedTypeSymbol)ctx.TargetSymbol, ct));

        context.RegisterSourceOutput(schemas, static (spc, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Descriptors.ById[diagnostic.RuleId], diagnostic.ToLocation(), diagnostic.Arguments.Cast<object>().ToArray()));
            }

            if (model.Generate)
            {
                spc.AddSource(model.HintName, SchemaEmitter.Emit(model));
            }
        });
    }

    internal static SchemaModel Build(TypeDeclarationSyntax syntax, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        string display = type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        bool partial = IsPartial(syntax);
        var containing = new List<string>();
        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            partial &= IsPartial(parent);
            containing.Insert(0, Declare(parent));
        }

        if (!partial)
        {
            diagnostics.Add(DiagnosticInfo.Create(ProfileAttributeRules.NotPartial.Id, syntax.Identifier.GetLocation(), display));
        }

        bool canConstruct = !type.IsAbstract && (type.IsValueType || type.InstanceConstructors.Any(c => c.Parameters.Length == 0));
        if (!canConstruct)
        {
            diagnostics.Add(DiagnosticInfo.Create(ProfileAttributeRules.NoParameterlessConstructor.Id, syntax.Identifier.GetLocation(), display));
        }

        var properties = new List<PropertyModel>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IPropertySymbol property
                || property.IsStatic
                || property.IsIndexer
                || property.DeclaredAccessibility != Accessibility.Public
                || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public }
                || property.SetMethod is not { DeclaredAccessibility: Accessibility.Public })
            {
                continue;
            }

            var location = property.Locations.FirstOrDefault();
            string attributeName = ProfileAttributeRules.ToCamelCase(property.Name);
            foreach (var attribute in property.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == NameAttribute)
                {
                    attributeName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string given ? given : string.Empty;
                    location = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
                }
            }

            if (ProfileAttributeRules.CheckName(attributeName) is { } broken)
            {
                diagnostics.Add(DiagnosticInfo.Create(broken.Id, location, ProfileAttributeRules.Shown(attributeName)));
            }

            if (ProfileAttributeRules.IsTooLong(attributeName))
            {
                diagnostics.Add(DiagnosticInfo.Create(ProfileAttributeRules.NameTooLong.Id, location, attributeName, attributeName.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            for (int i = 0; i < properties.Count; i++)
            {
                if (string.Equals(properties[i].AttributeName, attributeName, StringComparison.OrdinalIgnoreCase))
                {
                    // Equal names are a collision too: ToUpdate would set one name twice.
                    diagnostics.Add(DiagnosticInfo.Create(ProfileAttributeRules.CaseCollision.Id, location, properties[i].AttributeName, attributeName));
                    break;
                }
            }

            if (Classify(property.Type) is not { } kind)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    ProfileAttributeRules.UnsupportedType.Id,
                    property.Locations.FirstOrDefault(),
                    property.Name,
                    property.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
                continue;
            }

            var valueType = kind.Nullable ? ((INamedTypeSymbol)property.Type).TypeArguments[0] : property.Type;
            properties.Add(new PropertyModel(
                property.Name,
                attributeName,
                kind.Kind,
                kind.Nullable,
                valueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                kind.Kind == ValueKind.Enum ? EnumMembers(valueType) : default));
        }

        string metadataName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
        var hint = new StringBuilder();
        foreach (char c in metadataName)
        {
            hint.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
        }

        return new SchemaModel(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            new EquatableArray<string>(containing.ToImmutableArray()),
            Declare(syntax),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            display,
            hint.Append(".ProfileAttributes.g.cs").ToString(),
            canConstruct,
            new EquatableArray<PropertyModel>(properties.ToImmutableArray()),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()),
            partial);
    }

    private static bool IsPartial(TypeDeclarationSyntax syntax) => syntax.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>The declaration line of a type, as the generated part repeats it: <c>partial record class Name&lt;T&gt;</c>.</summary>
    private static string Declare(TypeDeclarationSyntax syntax)
    {
        string keyword = syntax switch
        {
            RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
            RecordDeclarationSyntax => "record",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            _ => "class",
        };
        return "partial " + keyword + " " + syntax.Identifier.ValueText + (syntax.TypeParameterList?.ToString() ?? string.Empty);
    }

    private static (ValueKind Kind, bool Nullable)? Classify(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return Single(nullable.TypeArguments[0]) is { } inner && inner != ValueKind.String ? (inner, true) : null;
        }

        return Single(type) is { } kind ? (kind, false) : null;
    }

    private static ValueKind? Single(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_String => ValueKind.String,
        SpecialType.System_Boolean => ValueKind.Boolean,
        SpecialType.System_Int32 => ValueKind.Int32,
        SpecialType.System_Int64 => ValueKind.Int64,
        SpecialType.System_Double => ValueKind.Double,
        SpecialType.System_Decimal => ValueKind.Decimal,
        _ when type.TypeKind == TypeKind.Enum => ValueKind.Enum,
        _ when type is INamedTypeSymbol { Name: "DateTimeOffset", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => ValueKind.DateTimeOffset,
        _ => null,
    };

    private static EquatableArray<EnumMember> EnumMembers(ITypeSymbol type)
    {
        var seen = new HashSet<object>();
        var members = ImmutableArray.CreateBuilder<EnumMember>();
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: { } value } field)
            {
                members.Add(new EnumMember(field.Name, seen.Add(value)));
            }
        }

        return new EquatableArray<EnumMember>(members.ToImmutable());
    }
}
