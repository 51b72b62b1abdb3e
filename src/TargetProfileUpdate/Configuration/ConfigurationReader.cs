using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Reads an account's configuration section against its <see cref="OptionsSchema"/> before the source-generated binder
/// sees it, so every mistake is found in one pass: an unknown key (named with the closest valid key), a value of the wrong
/// kind, a bare-number duration. Messages carry the key's real configuration path (for example
/// <c>Target:Retail:Resilience:MaxRetryAttempts</c>) and never the value, which may be a secret. What passes is handed to
/// the binder as a read-only view in which durations are already in <see cref="TimeSpan"/>'s constant form, so the generated
/// code (which knows only <see cref="TimeSpan.Parse(string)"/>) binds <c>500ms</c> or <c>5m</c> too; bad values are
/// left out of the view, so the binder never throws and the other settings still bind and are validated.
/// </summary>
internal static class ConfigurationReader
{
    /// <summary>Checks <paramref name="configuration"/>; returns the view to bind and adds every problem to <paramref name="failures"/>.</summary>
    public static IConfiguration Read(IConfiguration configuration, OptionsSchema schema, List<string> failures)
    {
        var root = new View(configuration, null);
        Walk(configuration, schema, root, failures);
        return root;
    }

    /// <summary>The configuration path of <paramref name="configuration"/>: the section's path, or empty for a root.</summary>
    public static string PathOf(IConfiguration configuration) => configuration is IConfigurationSection section ? section.Path : string.Empty;

    private static void Walk(IConfiguration configuration, OptionsSchema schema, View view, List<string> failures)
    {
        foreach (IConfigurationSection child in configuration.GetChildren())
        {
            if (!schema.TryGet(child.Key, out var setting))
            {
                failures.Add(Unknown(child.Path, schema.Names));
                continue;
            }

            if (setting.Kind == OptionsSchema.Kind.Section)
            {
                if (!string.IsNullOrEmpty(child.Value))
                {
                    failures.Add(child.Path + " is a section: set the keys under it (" + child.Path + ":…), not a value.");
                    continue;
                }

                var section = new View(child, null);
                view.Add(setting.Name, section);
                Walk(child, setting.Section!, section, failures);
                continue;
            }

            if (child.GetChildren().Any())
            {
                failures.Add(child.Path + " is a single value, not a section: " + Unknown(child.GetChildren().First().Path, []));
                continue;
            }

            if (Normalize(child.Path, child.Value, setting, failures) is { } value)
            {
                view.Add(setting.Name, new View(child, value));
            }
        }
    }

    /// <summary>The value as the binder should see it, or <see langword="null"/> (left unset) when it is empty or bad.</summary>
    private static string? Normalize(string path, string? value, OptionsSchema.Setting setting, List<string> failures)
    {
        if (value is null)
        {
            return null;
        }

        if (setting.Kind == OptionsSchema.Kind.String)
        {
            return value;
        }

        if (value.Trim().Length == 0)
        {
            // An empty value leaves the default, as an absent key does.
            return null;
        }

        string? problem = null;
        switch (setting.Kind)
        {
            case OptionsSchema.Kind.Int32:
                problem = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : " must be a whole number.";
                break;
            case OptionsSchema.Kind.Double:
                problem = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : " must be a number (with '.' as the decimal point).";
                break;
            case OptionsSchema.Kind.Boolean:
                problem = bool.TryParse(value, out _) ? null : " must be true or false.";
                break;
            case OptionsSchema.Kind.Uri:
                problem = Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _) ? null : " must be a URI.";
                break;
            case OptionsSchema.Kind.Enum:
                bool known = Array.Exists(setting.EnumNames!, n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase))
                    || int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
                problem = known ? null : " must be one of " + string.Join(", ", setting.EnumNames!) + ".";
                break;
            case OptionsSchema.Kind.Duration:
                switch (DurationParser.TryParse(value, out TimeSpan duration))
                {
                    case DurationParser.Problem.None:
                        return duration.ToString("c", CultureInfo.InvariantCulture);
                    case DurationParser.Problem.BareNumber:
                        problem = " is a number without a unit, which would be read as days: write it with a unit or as a time (" + DurationParser.Forms + ").";
                        break;
                    default:
                        problem = " must be a duration: " + DurationParser.Forms + ".";
                        break;
                }

                break;
        }

        if (problem is null)
        {
            return value;
        }

        failures.Add(path + problem);
        return null;
    }

    private static string Unknown(string path, IEnumerable<string> candidates)
    {
        int colon = path.LastIndexOf(':');
        string key = path[(colon + 1)..];
        string parent = colon < 0 ? string.Empty : path[..(colon + 1)];
        string? closest = candidates.OrderBy(c => Distance(key, c)).ThenBy(c => c, StringComparer.Ordinal).FirstOrDefault();
        return closest is null
            ? path + " is not a setting."
            : path + " is not a setting; did you mean " + parent + closest + "?";
    }

    /// <summary>The Levenshtein distance, ignoring case.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>A read-only configuration node holding only what the schema accepted, with values normalized.</summary>
    private sealed class View(IConfiguration source, string? value) : IConfigurationSection
    {
        private readonly Dictionary<string, View> _children = new(StringComparer.OrdinalIgnoreCase);

        public string Key => source is IConfigurationSection s ? s.Key : string.Empty;

        public string Path => PathOf(source);

        public string? Value
        {
            get => value;
            set => throw new NotSupportedException();
        }

        public string? this[string key]
        {
            get => _children.TryGetValue(key, out var child) ? child.Value : null;
            set => throw new NotSupportedException();
        }

        public void Add(string key, View child) => _children[key] = child;

        public IConfigurationSection GetSection(string key) =>
            _children.TryGetValue(key, out var child) ? child : new View(source.GetSection(key), null);

        public IEnumerable<IConfigurationSection> GetChildren() => _children.Values;

        public IChangeToken GetReloadToken() => source.GetReloadToken();
    }
}
