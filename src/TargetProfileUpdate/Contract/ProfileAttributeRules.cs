// THE rule table of profile attribute names and values. This one file is compiled into the TargetProfileUpdate library
// (the run-time linter) and, linked, into TargetProfileUpdate.Generators (the compile-time diagnostics), so both apply
// exactly the same rules with the same ids and texts. It must therefore compile for netstandard2.0 too: no spans, no
// char overloads of string methods, no nullable-analysis attributes. docs/profile-contract.md documents every rule.
using System;
using System.Globalization;

namespace TargetProfileUpdate.Contract;

/// <summary>One rule: its id (documented in docs/profile-contract.md), whether it is an error, a short title and the
/// message format (arguments as each rule documents; never a value or an id, only names and counts).</summary>
internal sealed class ProfileAttributeRule
{
    public ProfileAttributeRule(string id, bool isError, bool compileTime, string title, string messageFormat)
    {
        Id = id;
        IsError = isError;
        CompileTime = compileTime;
        Title = title;
        MessageFormat = messageFormat;
    }

    /// <summary>Gets the documented id, for example <c>TPU003</c>.</summary>
    public string Id { get; }

    /// <summary>Gets whether breaking the rule is an error (otherwise a warning).</summary>
    public bool IsError { get; }

    /// <summary>Gets whether the source generator reports this rule (the others only exist at run time).</summary>
    public bool CompileTime { get; }

    /// <summary>Gets the short title.</summary>
    public string Title { get; }

    /// <summary>Gets the message format (<see cref="string.Format(IFormatProvider, string, object[])"/>, invariant culture).</summary>
    public string MessageFormat { get; }

    /// <summary>Formats the message, culture-invariantly.</summary>
    public string Format(params object[] args) => string.Format(CultureInfo.InvariantCulture, MessageFormat, args);
}

/// <summary>Target's rules for profile attribute names and values (Adobe's profile attribute, limits and bulk pages).</summary>
internal static class ProfileAttributeRules
{
    /// <summary>The prefix the SDK adds to every attribute name on the wire.</summary>
    public const string ProfilePrefix = "profile.";

    /// <summary>Target's limit for a profile parameter name, in characters.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Target's limit for <c>mbox3rdPartyId</c>, in characters.</summary>
    public const int MaxThirdPartyIdLength = 256;

    /// <summary>The budget of external data per profile (all sources together, since 2024-09): 64 KB.</summary>
    public const int MaxProfileBytes = 64 * 1024;

    /// <summary>TPU001: the name is empty or white space. Argument: none.</summary>
    public static readonly ProfileAttributeRule EmptyName = new ProfileAttributeRule(
        "TPU001", true, true, "Profile attribute name is empty",
        "A profile attribute name must not be empty or white space.");

    /// <summary>TPU002: the name starts with <c>profile.</c>. Argument: {0} the name.</summary>
    public static readonly ProfileAttributeRule ProfilePrefixName = new ProfileAttributeRule(
        "TPU002", true, true, "Profile attribute name starts with 'profile.'",
        "The profile attribute name '{0}' starts with 'profile.': names are given without it, and the SDK adds it on the wire (a doubled 'profile.profile.' would be another attribute).");

    /// <summary>TPU003: a reserved or built-in name. Argument: {0} the name.</summary>
    public static readonly ProfileAttributeRule ReservedName = new ProfileAttributeRule(
        "TPU003", true, true, "Profile attribute name is reserved or built in",
        "The profile attribute name '{0}' is reserved or built into Target (user.*, mobile.*, geolocation.*, mbox3rdPartyId, browserTime, sessionCount, averageDaysBetweenVisits, parameter, …): Target fills or reads it itself. Choose another name.");

    /// <summary>TPU004: two names differ only by case. Arguments: {0} and {1} the two names.</summary>
    public static readonly ProfileAttributeRule CaseCollision = new ProfileAttributeRule(
        "TPU004", true, true, "Profile attribute names differ only by case",
        "The profile attribute names '{0}' and '{1}' differ only by case: Target keeps them as two attributes, which is almost always a typo. Use one spelling.");

    /// <summary>TPU005 (warning): the name is longer than 128 characters. Arguments: {0} the name, {1} its length.</summary>
    public static readonly ProfileAttributeRule NameTooLong = new ProfileAttributeRule(
        "TPU005", false, true, "Profile attribute name is longer than 128 characters",
        "The profile attribute name '{0}' is {1} characters long; Target's limit for profile parameter names is 128.");

    /// <summary>TPU006: a property type a profile attribute cannot hold. Arguments: {0} the property, {1} its type.</summary>
    public static readonly ProfileAttributeRule UnsupportedType = new ProfileAttributeRule(
        "TPU006", true, true, "Unsupported profile attribute type",
        "The property '{0}' has the type '{1}', which a profile attribute cannot hold: use string, bool, int, long, double, decimal, DateTimeOffset, an enum, or their nullable forms.");

    /// <summary>TPU007: the schema type is not partial. Argument: {0} the type.</summary>
    public static readonly ProfileAttributeRule NotPartial = new ProfileAttributeRule(
        "TPU007", true, true, "Profile schema type is not partial",
        "The type '{0}' has [ProfileAttributes] but it (or a type containing it) is not partial: declare it 'partial' so the generated members can be added.");

    /// <summary>TPU008: the schema type has no parameterless constructor for <c>FromProfile</c>. Argument: {0} the type.</summary>
    public static readonly ProfileAttributeRule NoParameterlessConstructor = new ProfileAttributeRule(
        "TPU008", true, true, "Profile schema type has no parameterless constructor",
        "The type '{0}' has [ProfileAttributes] but no accessible parameterless constructor, which the generated FromProfile needs; add one (a positional record can declare 'public T() : this(…) { }'), or make it a class with settable properties.");

    /// <summary>TPU009: the name has a control character, or white space at its start or end. Argument: {0} the name as
    /// <see cref="Shown"/> writes it.</summary>
    public static readonly ProfileAttributeRule UntidyName = new ProfileAttributeRule(
        "TPU009", true, true, "Profile attribute name has a control character or surrounding white space",
        "The profile attribute name '{0}' has a control character, or white space at its start or end: Target keeps them as part of the name, so it would be a different attribute from the one meant.");

    /// <summary>TPU101 (warning, run time): an empty value. Argument: {0} the name.</summary>
    public static readonly ProfileAttributeRule EmptyValue = new ProfileAttributeRule(
        "TPU101", false, false, "Empty profile attribute value",
        "The value of profile attribute '{0}' is empty: Target neither clears nor changes an attribute for an empty value, so it sets nothing (an attribute cannot be removed).");

    /// <summary>TPU102 (run time): <c>mbox3rdPartyId</c> is longer than 256 characters. Argument: {0} its length (never the id).</summary>
    public static readonly ProfileAttributeRule ThirdPartyIdTooLong = new ProfileAttributeRule(
        "TPU102", true, false, "mbox3rdPartyId is longer than 256 characters",
        "The mbox3rdPartyId is {0} characters long; Target's limit is 256.");

    /// <summary>TPU103 (run time): one update or row exceeds the 64 KB per-profile budget. Argument: {0} its bytes.</summary>
    public static readonly ProfileAttributeRule OverProfileBudget = new ProfileAttributeRule(
        "TPU103", true, false, "Update exceeds the 64 KB per-profile budget",
        "The attributes of one update take {0} bytes (UTF-8 names and values), over the 65,536 bytes (64 KB) Target keeps per profile for all external data together.");

    /// <summary>TPU104 (warning, run time, with the tenant's catalog): a name the tenant has never seen. Arguments: {0} the name, {1} "." or the hint.</summary>
    public static readonly ProfileAttributeRule UnknownName = new ProfileAttributeRule(
        "TPU104", false, false, "Profile attribute name is not in the tenant's catalog",
        "The profile attribute name '{0}' is not in the tenant's attribute catalog: it would create a new attribute that no audience reads yet{1}");

    /// <summary>Every rule, in id order.</summary>
    public static readonly ProfileAttributeRule[] All =
    {
        EmptyName, ProfilePrefixName, ReservedName, CaseCollision, NameTooLong, UnsupportedType, NotPartial, NoParameterlessConstructor,
        UntidyName, EmptyValue, ThirdPartyIdTooLong, OverProfileBudget, UnknownName,
    };

    /// <summary>Built-in names Target fills itself or reserves (Adobe's profile attribute pages; an integrator's list of system parameter names).</summary>
    private static readonly string[] ReservedNames =
    {
        "averageDaysBetweenVisits", "browserTime", "geolocation", "mbox3rdPartyId", "mobile", "parameter", "sessionCount", "user",
    };

    /// <summary>Prefixes of built-in families: <c>user.*</c> (profile scripts and user.pcId, user.sessionId, …), <c>mobile.*</c>, <c>geolocation.*</c>.</summary>
    private static readonly string[] ReservedPrefixes = { "user.", "mobile.", "geolocation." };

    /// <summary>
    /// The rule a single name breaks, among TPU001 (empty), TPU009 (control character or surrounding white space), TPU002
    /// (<c>profile.</c> prefix) and TPU003 (reserved), or null. The length rule (TPU005) is separate because it is a
    /// warning that can hold beside these.
    /// </summary>
    public static ProfileAttributeRule? CheckName(string name)
    {
        if (name is null || IsWhiteSpace(name))
        {
            return EmptyName;
        }

        if (IsUntidy(name))
        {
            return UntidyName;
        }

        if (name.StartsWith(ProfilePrefix, StringComparison.Ordinal))
        {
            return ProfilePrefixName;
        }

        return IsReserved(name) ? ReservedName : null;
    }

    /// <summary>Whether the name has a control character, or white space at its start or end (TPU009).</summary>
    public static bool IsUntidy(string name)
    {
        if (name.Length > 0 && (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1])))
        {
            return true;
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name as messages show it: each control character written <c>\uXXXX</c>, so a name with CR/LF cannot
    /// split a log line or a diagnostic.</summary>
    public static string Shown(string name)
    {
        bool any = false;
        foreach (char c in name)
        {
            any |= char.IsControl(c);
        }

        if (!any)
        {
            return name;
        }

        var shown = new System.Text.StringBuilder(name.Length + 16);
        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                shown.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.ToString();
    }

    /// <summary>Whether the name is longer than <see cref="MaxNameLength"/> (TPU005).</summary>
    public static bool IsTooLong(string name) => name.Length > MaxNameLength;

    /// <summary>Whether the name is reserved or built in (TPU003), compared case-sensitively as Target compares names.</summary>
    public static bool IsReserved(string name)
    {
        foreach (string reserved in ReservedNames)
        {
            if (string.Equals(name, reserved, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (string prefix in ReservedPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether two names differ only by case (TPU004): equal ignoring case, but not equal.</summary>
    public static bool DifferOnlyByCase(string a, string b) =>
        !string.Equals(a, b, StringComparison.Ordinal) && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The attribute name of a property without <c>[ProfileAttribute]</c>: camelCase, exactly as System.Text.Json's
    /// <c>JsonNamingPolicy.CamelCase</c> does it (<c>LoyaltyTier</c> → <c>loyaltyTier</c>, <c>ID</c> → <c>id</c>,
    /// <c>URLPath</c> → <c>urlPath</c>, <c>lastSeen</c> stays).
    /// </summary>
    public static string ToCamelCase(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsUpper(name[0]))
        {
            return name;
        }

        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            bool hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    /// <summary>
    /// The closest of <paramref name="known"/> to <paramref name="name"/> (optimal string alignment distance, a case
    /// change costing nothing extra beyond one edit), when it is close enough to be a likely typo: at most a third of
    /// the name's length and at most 3 edits. Null when none is.
    /// </summary>
    public static string? Suggest(string name, System.Collections.Generic.IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        int limit = Math.Min(3, Math.Max(1, name.Length / 3));
        foreach (string candidate in known)
        {
            if (Math.Abs(candidate.Length - name.Length) > limit)
            {
                continue;
            }

            int distance = Distance(name, candidate, limit);
            if (distance < bestDistance || (distance == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return bestDistance <= limit ? best : null;
    }

    private static bool IsWhiteSpace(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Optimal string alignment distance (insert, delete, substitute, swap neighbours); a substitution that only
    /// changes case costs 1 like any other. Stops early above <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int rowMin = int.MaxValue;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > limit)
            {
                return int.MaxValue;
            }
        }

        return d[a.Length, b.Length];
    }
}
