using System;
using System.Collections.Generic;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate.Bulk;

/// <summary>
/// Writes the body of a Bulk Profile Update API call, byte for byte:
/// <code>
/// batch=thirdPartyId,name1,name2,…\n
/// id,value1,value2,…\n
/// </code>
/// Every id, name and value goes through <see cref="ProfileUpdateEncoder"/> (UTF-8, RFC 3986 unreserved characters
/// as they are, everything else <c>%XX</c>), so a <c>,</c>, a line break, a <c>"</c> or a <c>%</c> in a value can never
/// break the CSV, and the bytes are those the single update API sends for the same text.
/// </summary>
/// <remarks>
/// <para><b>Columns.</b> The header names the id column (<c>pcId</c> or <c>thirdPartyId</c>) and then the attribute names
/// (bare, without <c>profile.</c>) in the order the batch's rows first use them. A row writes its fields up to the last
/// column it sets to a non-empty value; a column it does not set (or sets to <c>""</c>) is an empty field, and trailing
/// empty fields are left out, exactly as in Adobe's documented sample
/// (<c>batch=pcId,param1,param2,param3,param4\n123,value1\n124,value1,,,value4</c>). Because
/// new columns are only ever appended, a row's bytes are final as soon as it is written: a later row adding a column
/// changes the header only. Adobe ignores empty fields, so an unset column and an empty value are the same on the wire.</para>
/// <para><b>Line breaks.</b> <c>\n</c> ends every line, the last one included: Adobe's sample is such a text file and its
/// documented call is <c>curl --data-binary @BATCH.TXT</c>, which sends a file's bytes unchanged.</para>
/// <para><b>No second form encoding.</b> The body is sent as <c>application/x-www-form-urlencoded</c> but the CSV after
/// <c>batch=</c> is not form-encoded again: Adobe's documented call is <c>curl --data-binary</c>, which sends the file as
/// it is, with the fields already URL-encoded (encoding the CSV again would turn every <c>,</c> into <c>%2C</c> and every
/// field's <c>%</c> into <c>%25</c>, which no documented caller sends). The result is also safe for a server that does
/// form-decode the body: it contains only unreserved characters, <c>%XX</c>, <c>,</c>, <c>\n</c> and the one <c>=</c>
/// after <c>batch</c>; a <c>+</c> or <c>&amp;</c> in any text is written as <c>%2B</c> or <c>%26</c>, so the body is
/// always exactly one form field named <c>batch</c>.</para>
/// </remarks>
internal static class BulkCsvEncoder
{
    /// <summary>The form field name and separator that start every body.</summary>
    public const string BodyPrefix = "batch=";

    /// <summary>The media type Adobe's documented call sends.</summary>
    public const string ContentType = "application/x-www-form-urlencoded";

    /// <summary>The line terminator, after every line including the last.</summary>
    public const byte LineFeed = (byte)'\n';

    /// <summary>The field separator.</summary>
    public const byte Comma = (byte)',';

    /// <summary>Returns the header name of the id column for a kind of id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kind has no bulk column (for example an ECID).</exception>
    public static string GetIdColumn(ProfileIdKind kind) => kind switch
    {
        ProfileIdKind.PcId => "pcId",
        ProfileIdKind.ThirdPartyId => "thirdPartyId",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), "The Bulk Profile Update API accepts only pcId and thirdPartyId rows."),
    };

    /// <summary>Returns the length of the first line: <c>batch=</c>, the id column, <c>,name</c> per column, <c>\n</c>.</summary>
    /// <param name="idColumn">The id column name (ASCII).</param>
    /// <param name="columnCount">How many attribute columns.</param>
    /// <param name="encodedNamesLength">The sum of the attribute names' encoded lengths.</param>
    public static long GetHeaderLength(string idColumn, int columnCount, long encodedNamesLength) =>
        BodyPrefix.Length + idColumn.Length + columnCount + encodedNamesLength + 1;

    /// <summary>Writes the first line; <paramref name="destination"/> is exactly <see cref="GetHeaderLength"/> long.</summary>
    public static int WriteHeader(string idColumn, IReadOnlyList<string> columns, Span<byte> destination)
    {
        int pos = ProfileUpdateEncoder.WriteAscii(BodyPrefix, destination);
        pos += ProfileUpdateEncoder.WriteAscii(idColumn, destination[pos..]);
        for (int i = 0; i < columns.Count; i++)
        {
            destination[pos++] = Comma;
            pos += ProfileUpdateEncoder.Write(columns[i], destination[pos..]);
        }

        destination[pos++] = LineFeed;
        return pos;
    }

    /// <summary>Returns the length of a row: the encoded id, a comma per column up to the last one set, the encoded values, <c>\n</c>.</summary>
    /// <param name="id">The row's profile id.</param>
    /// <param name="lastColumn">The highest column index the row sets to a non-empty value (-1 for none).</param>
    /// <param name="encodedValuesLength">The sum of the row's values' encoded lengths.</param>
    public static long GetRowLength(ProfileId id, int lastColumn, long encodedValuesLength) =>
        id.EncodedLength + lastColumn + 1 + encodedValuesLength + 1;

    /// <summary>Writes a row; <paramref name="destination"/> is exactly <see cref="GetRowLength"/> long.</summary>
    /// <param name="id">The row's profile id.</param>
    /// <param name="columns">The column of each value, ascending, up to the last one with a non-empty value.</param>
    /// <param name="values">The values, in the order of <paramref name="columns"/>.</param>
    /// <param name="destination">Where to write.</param>
    public static int WriteRow(ProfileId id, ReadOnlySpan<int> columns, ReadOnlySpan<string> values, Span<byte> destination)
    {
        int pos = ProfileUpdateEncoder.Write(id.Value, destination);
        int previous = -1;
        for (int i = 0; i < columns.Length; i++)
        {
            for (int c = previous; c < columns[i]; c++)
            {
                destination[pos++] = Comma;
            }

            previous = columns[i];
            pos += ProfileUpdateEncoder.Write(values[i], destination[pos..]);
        }

        destination[pos++] = LineFeed;
        return pos;
    }
}
