using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// The columns of an import file: the id column first (<c>thirdPartyId</c> or <c>pcId</c>), then attribute names.
/// A trailing <c>target-profile-error</c> column (what a failures file adds) is ignored, so a failures file imports as is;
/// any other column, one named <c>error</c> included, is an attribute.
/// </summary>
internal sealed class CsvLayout
{
    /// <summary>The column a failures file adds: a name no export has by accident, so only a failures file loses it.</summary>
    public const string ErrorColumn = "target-profile-error";

    /// <summary>The longest field read, in characters: far over anything Adobe accepts (at most 64 KB of data per profile,
    /// which the linter reports at its line), and small enough to bound memory. A longer field is a CSV error: usually a
    /// stray quote that would swallow the rest of the file.</summary>
    public const int MaxFieldLength = 1_000_000;

    private CsvLayout(ProfileIdKind idKind, string idColumn, IReadOnlyList<string> header, IReadOnlyList<string> attributeNames, bool ignoresErrorColumn)
    {
        IdKind = idKind;
        IdColumn = idColumn;
        Header = header;
        AttributeNames = attributeNames;
        IgnoresErrorColumn = ignoresErrorColumn;
    }

    public ProfileIdKind IdKind { get; }

    public string IdColumn { get; }

    /// <summary>Gets the header exactly as read, trailing <c>error</c> column included.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Gets the attribute column names (columns 2 to n, without a trailing <c>error</c> column).</summary>
    public IReadOnlyList<string> AttributeNames { get; }

    public bool IgnoresErrorColumn { get; }

    /// <summary>Gets how many fields a data row has: the whole header.</summary>
    public int FieldCount => Header.Count;

    /// <summary>The CsvHelper settings every pass uses: RFC 4180, comma, quotes; bad data is reported, not thrown.</summary>
    public static CsvConfiguration Configuration(Action<BadDataFoundArgs>? badData) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = false,
        Mode = CsvMode.RFC4180,
        DetectColumnCountChanges = false,
        IgnoreBlankLines = true,
        BadDataFound = args => badData?.Invoke(args),
        MissingFieldFound = null,
        MaxFieldSize = MaxFieldLength,
    };

    /// <summary>A reader that decodes UTF-8 (a BOM is skipped; bytes that are not UTF-8 become U+FFFD, found by the byte scan first).</summary>
    public static StreamReader OpenText(string path, int bufferSize = 1 << 16) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize);

    /// <summary>Reads the header; a problem with it is a <see cref="UsageException"/> naming line 1 and the column.</summary>
    public static CsvLayout Parse(string[]? header)
    {
        if (header is null || header.Length == 0 || (header.Length == 1 && header[0].Length == 0))
        {
            throw new UsageException("line 1: the file is empty; it must start with a header whose first column is thirdPartyId or pcId.");
        }

        string first = header[0].Trim();
        ProfileIdKind kind = first switch
        {
            "thirdPartyId" => ProfileIdKind.ThirdPartyId,
            "pcId" => ProfileIdKind.PcId,
            _ => throw new UsageException("line 1, column 1: the header's first column is '" + Bounded(first) + "'; it must be thirdPartyId or pcId."),
        };

        bool ignoresError = header.Length > 1 && string.Equals(header[^1], ErrorColumn, StringComparison.Ordinal);
        int attributeEnd = ignoresError ? header.Length - 1 : header.Length;
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < attributeEnd; i++)
        {
            string name = header[i];
            string column = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new UsageException("line 1, column " + column + ": an attribute column has no name.");
            }

            string key = name.StartsWith("profile.", StringComparison.Ordinal) ? name["profile.".Length..] : name;
            if (string.Equals(key, "thirdPartyId", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "pcId", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException("line 1, column " + column + ": '" + Bounded(name) + "' is the name of an id column, so it cannot be an attribute (the Bulk API would read it as a second id column); rename the column.");
            }

            if (!seen.Add(key))
            {
                throw new UsageException("line 1, column " + column + ": the attribute '" + Bounded(name) + "' appears twice in the header.");
            }

            names.Add(name);
        }

        if (names.Count == 0)
        {
            throw new UsageException("line 1: the header has no attribute columns after " + first + ".");
        }

        return new CsvLayout(kind, first, header, names, ignoresError);
    }

    /// <summary>Builds the update for a data row (empty values are skipped, as the Bulk API ignores them).</summary>
    /// <exception cref="ArgumentException">The id or a value is invalid, or the row sets nothing.</exception>
    public ProfileUpdate ToUpdate(string[] fields)
    {
        if (string.IsNullOrWhiteSpace(fields[0]))
        {
            throw new ArgumentException("the " + IdColumn + " is empty.");
        }

        var update = IdKind == ProfileIdKind.ThirdPartyId ? ProfileUpdate.ForThirdPartyId(fields[0]) : ProfileUpdate.ForPcId(fields[0]);
        for (int i = 0; i < AttributeNames.Count; i++)
        {
            string value = fields[i + 1];
            if (value.Length > 0)
            {
                update.Set(AttributeNames[i], value);
            }
        }

        if (update.Attributes.Count == 0)
        {
            throw new ArgumentException("the row sets no attribute (every value is empty, and empty values are not sent).");
        }

        return update;
    }

    /// <summary>An SDK validation message for a CSV error: without .NET's "(Parameter '…')" suffix, starting in lower case.</summary>
    public static string Describe(ArgumentException exception)
    {
        string message = exception.Message;
        if (exception.ParamName is { } parameter && message.EndsWith(" (Parameter '" + parameter + "')", StringComparison.Ordinal))
        {
            message = message[..^(" (Parameter '" + parameter + "')").Length];
        }

        return message.Length > 1 && char.IsUpper(message[0]) && char.IsLower(message[1]) ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }

    private static string Bounded(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
