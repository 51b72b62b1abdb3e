using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// The settings an options type accepts from configuration: its public read-write properties, each a value of a known kind
/// or a nested section. Read from the types themselves (public properties of types named with <c>typeof</c>, which the
/// trimmer keeps), so a new option is known here the moment it is declared; the binding itself stays source-generated.
/// </summary>
internal sealed class OptionsSchema
{
    private readonly Dictionary<string, Setting> _settings = new(StringComparer.OrdinalIgnoreCase);

    private OptionsSchema(Type type) => Type = type;

    /// <summary>The kinds of value a setting holds.</summary>
    public enum Kind
    {
        String,
        Int32,
        Double,
        Boolean,
        Duration,
        Uri,
        Enum,
        Section,
    }

    /// <summary>The account options: <see cref="TargetProfileUpdateOptions"/> and its nested sections.</summary>
    public static OptionsSchema Account { get; } = Build(
        typeof(TargetProfileUpdateOptions),
        Build(typeof(AdobeImsOptions)),
        Build(typeof(ProfileApiResilienceOptions)),
        Build(typeof(ProfileUpdateQuotaOptions)),
        Build(typeof(ProfilePrivacyOptions)));

    public Type Type { get; }

    public IEnumerable<string> Names => _settings.Keys;

    public bool TryGet(string name, [NotNullWhen(true)] out Setting? setting) => _settings.TryGetValue(name, out setting);

    /// <summary>The schema of <paramref name="type"/>; properties of a type in <paramref name="nested"/> are sections.</summary>
    /// <exception cref="InvalidOperationException">A property's type is neither a known value kind nor one of <paramref name="nested"/>.</exception>
    public static OptionsSchema Build([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, params OptionsSchema[] nested)
    {
        var schema = new OptionsSchema(type);
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.SetMethod is not { IsPublic: true } || typeof(Delegate).IsAssignableFrom(property.PropertyType))
            {
                continue;
            }

            OptionsSchema? section = Array.Find(nested, n => n.Type == property.PropertyType);
            Type valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            Kind kind = section is not null ? Kind.Section
                : valueType == typeof(string) ? Kind.String
                : valueType == typeof(int) ? Kind.Int32
                : valueType == typeof(double) ? Kind.Double
                : valueType == typeof(bool) ? Kind.Boolean
                : valueType == typeof(TimeSpan) ? Kind.Duration
                : valueType == typeof(Uri) ? Kind.Uri
                : valueType.IsEnum ? Kind.Enum
                : throw new InvalidOperationException($"{type.Name}.{property.Name}: the configuration schema has no kind for {valueType.Name}; add it to OptionsSchema.");
            schema._settings.Add(property.Name, new Setting(property.Name, kind, section, kind == Kind.Enum ? Enum.GetNames(valueType) : null));
        }

        return schema;
    }

    /// <summary>One setting: its name as declared, its kind, its section's schema, or its enum's names.</summary>
    public sealed record Setting(string Name, Kind Kind, OptionsSchema? Section, string[]? EnumNames);
}
