using System;
using System.ComponentModel;
using System.Globalization;

namespace TargetProfileUpdate;

/// <summary>
/// Reads attribute values for the members that the <see cref="ProfileAttributesAttribute"/> source generator writes; not
/// meant to be called directly. Each parser is the inverse of the matching typed <see cref="ProfileUpdate"/> <c>Set</c>
/// overload (culture-invariant), and an unparsable value throws a <see cref="FormatException"/> that names the attribute
/// and the type, never the value (values are personal data).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ProfileSchemaValues
{
    /// <summary>Reads <c>true</c> or <c>false</c> (any case, surrounding white space allowed).</summary>
    /// <param name="value">The attribute's value.</param>
    /// <param name="attributeName">The attribute's name, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The value is not a Boolean.</exception>
    public static bool ParseBoolean(string value, string attributeName) =>
        bool.TryParse(value, out bool result) ? result : throw InvalidValue(attributeName, "Boolean");

    /// <summary>Reads a whole number written culture-invariantly (for example <c>-42</c>).</summary>
    /// <param name="value">The attribute's value.</param>
    /// <param name="attributeName">The attribute's name, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The value is not an <see cref="int"/>.</exception>
    public static int ParseInt32(string value, string attributeName) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int result) ? result : throw InvalidValue(attributeName, "Int32");

    /// <summary>Reads a whole number written culture-invariantly (for example <c>-42</c>).</summary>
    /// <param name="value">The attribute's value.</param>
    /// <param name="attributeName">The attribute's name, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The value is not a <see cref="long"/>.</exception>
    public static long ParseInt64(string value, string attributeName) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long result) ? result : throw InvalidValue(attributeName, "Int64");

    /// <summary>Reads a finite number written culture-invariantly (for example <c>1234.5</c> or <c>1E-07</c>).</summary>
    /// <param name="value">The attribute's value.</param>
    /// <param name="attributeName">The attribute's name, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The value is not a finite <see cref="double"/>.</exception>
    public static double ParseDouble(string value, string attributeName) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result) && double.IsFinite(result)
            ? result
            : throw InvalidValue(attributeName, "Double");

    /// <summary>Reads a decimal number written culture-invariantly (for example <c>1234.50</c>).</summary>
    /// <param name="value">The attribute's value.</param>
    /// <param name="attributeName">The attribute's name, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The value is not a <see cref="decimal"/>.</exception>
    public static decimal ParseDecimal(string value, string attributeName) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal result) ? result : throw InvalidValue(attributeName, "Decimal");

    /// <summary>Reads an ISO 8601 date and time (the round-trip form <c>Set</c> writes, or any invariant form; no offset means UTC).</summary>
    /// <param name="value">The attribute's value.</param>
    /// <param name="attributeName">The attribute's name, for the error.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The value is not a date and time.</exception>
    public static DateTimeOffset ParseDateTimeOffset(string value, string attributeName) =>
        DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact)
            ? exact
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw InvalidValue(attributeName, "DateTimeOffset");

    /// <summary>The error for a value that is not one of an enum's member names.</summary>
    /// <param name="attributeName">The attribute's name.</param>
    /// <param name="typeName">The enum's name.</param>
    /// <returns>The exception to throw; its message names the attribute and the type, never the value.</returns>
    public static FormatException InvalidValue(string attributeName, string typeName) => new(
        "The profile attribute '" + attributeName + "' could not be read as " + typeName + " (the value is not shown: values are personal data).");

    /// <summary>The error for an enum value that has no member name (an undefined number or a combination of flags).</summary>
    /// <param name="attributeName">The attribute's name.</param>
    /// <param name="typeName">The enum's name.</param>
    /// <returns>The exception to throw.</returns>
    public static ArgumentOutOfRangeException UndefinedEnumValue(string attributeName, string typeName) => new(
        attributeName,
        "The value of profile attribute '" + attributeName + "' is not a named member of " + typeName + "; enums are sent as their member names.");
}
