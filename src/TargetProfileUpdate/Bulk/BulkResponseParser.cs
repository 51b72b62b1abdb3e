using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Xml;

namespace TargetProfileUpdate.Bulk;

/// <summary>What a batch submission answered.</summary>
internal enum BulkSubmitOutcome
{
    /// <summary><c>&lt;success&gt;true&lt;/success&gt;</c> with an absolute <c>batchStatus</c> URL.</summary>
    Accepted,

    /// <summary><c>&lt;success&gt;false&lt;/success&gt;</c>: a final refusal, even at HTTP 200.</summary>
    Refused,

    /// <summary>Not the documented XML (empty, HTML, truncated, too large, success without a status URL): never taken as success.</summary>
    Unreadable,
}

/// <summary>The parsed answer to a batch submission.</summary>
/// <param name="Outcome">What it said.</param>
/// <param name="StatusUrl">The <c>batchStatus</c> URL exactly as returned (only when <see cref="BulkSubmitOutcome.Accepted"/>).</param>
/// <param name="BatchId">The <c>batchId</c> query parameter of the status URL, when present.</param>
/// <param name="Message">The server's <c>message</c> text. Server text: never put it in an exception message or a log.</param>
internal sealed record BulkSubmitAnswer(BulkSubmitOutcome Outcome, Uri? StatusUrl, string? BatchId, string? Message);

/// <summary>
/// Parses the Bulk Profile Update API's XML answers with <see cref="XmlReader"/> (no DTDs, no external resolution, bounded
/// size; AOT- and trim-safe). Elements are matched by local name under the root, whatever the root is called; unknown
/// elements are skipped.
/// </summary>
internal static class BulkResponseParser
{
    /// <summary>The largest submission answer read: 64 KB (the documented one is under 300 bytes).</summary>
    public const int MaxSubmitAnswerBytes = 64 * 1024;

    /// <summary>The largest status answer read: 64 MB (a legacy answer lists up to 500,000 profiles).</summary>
    public const int MaxStatusAnswerBytes = 64 * 1024 * 1024;

    /// <summary>Parses the answer to <c>POST …/batchUpdate</c>.</summary>
    public static BulkSubmitAnswer ParseSubmitAnswer(ReadOnlyMemory<byte> body)
    {
        var unreadable = new BulkSubmitAnswer(BulkSubmitOutcome.Unreadable, null, null, null);
        if (body.IsEmpty || body.Length > MaxSubmitAnswerBytes)
        {
            return unreadable;
        }

        string? success = null;
        string? statusUrl = null;
        string? message = null;
        try
        {
            using var reader = CreateReader(body, MaxSubmitAnswerBytes);
            if (!ReadToRoot(reader))
            {
                return unreadable;
            }

            int rootDepth = reader.Depth;
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.Depth > rootDepth)
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.Depth == rootDepth + 1)
                    {
                        switch (reader.LocalName)
                        {
                            case "success":
                                success = ReadText(reader);
                                continue;
                            case "batchStatus":
                                statusUrl = ReadText(reader);
                                continue;
                            case "message":
                                message = ReadText(reader);
                                continue;
                        }
                    }

                    reader.Read();
                }
            }
        }
        catch (XmlException)
        {
            return unreadable;
        }

        var verdict = TargetProfileUpdate.Http.SuccessAnswer.Flag(success);
        if (verdict == TargetProfileUpdate.Http.SuccessVerdict.Rejected)
        {
            return new BulkSubmitAnswer(BulkSubmitOutcome.Refused, null, null, message);
        }

        if (verdict != TargetProfileUpdate.Http.SuccessVerdict.Accepted
            || !Uri.TryCreate(statusUrl, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return unreadable with { Message = message };
        }

        return new BulkSubmitAnswer(BulkSubmitOutcome.Accepted, url, GetBatchId(url), message);
    }

    /// <summary>
    /// Parses the answer to <c>GET {batchStatus}&amp;showDetails=true</c>: the counts shape and the legacy per-profile
    /// shape (<c>&lt;profile&gt;</c> elements at any depth). Returns <see langword="null"/> when it is not such an answer.
    /// </summary>
    /// <param name="body">The response body.</param>
    /// <param name="fallbackBatchId">The batch id to report when the answer names none.</param>
    public static BulkBatchStatus? ParseStatusAnswer(ReadOnlyMemory<byte> body, string fallbackBatchId)
    {
        if (body.IsEmpty || body.Length > MaxStatusAnswerBytes)
        {
            return null;
        }

        string? batchId = null;
        string? status = null;
        long? batchSize = null, consumed = null, successful = null, notFound = null, failed = null;
        List<BulkProfileStatus>? profiles = null;
        try
        {
            using var reader = CreateReader(body, MaxStatusAnswerBytes);
            if (!ReadToRoot(reader))
            {
                return null;
            }

            int rootDepth = reader.Depth;
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.Depth > rootDepth)
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        reader.Read();
                        continue;
                    }

                    if (reader.LocalName == "profile")
                    {
                        (profiles ??= []).Add(ReadProfile(reader));
                        continue;
                    }

                    if (reader.Depth == rootDepth + 1)
                    {
                        switch (reader.LocalName)
                        {
                            case "batchId":
                                batchId = ReadText(reader);
                                continue;
                            case "status":
                                status = ReadText(reader);
                                continue;
                            case "batchSize":
                                batchSize = ParseCount(ReadText(reader));
                                continue;
                            case "consumedCount":
                                consumed = ParseCount(ReadText(reader));
                                continue;
                            case "successfulUpdates":
                                successful = ParseCount(ReadText(reader));
                                continue;
                            case "profilesNotFound":
                                notFound = ParseCount(ReadText(reader));
                                continue;
                            case "failedUpdates":
                                failed = ParseCount(ReadText(reader));
                                continue;
                        }
                    }

                    reader.Read();
                }
            }
        }
        catch (XmlException)
        {
            return null;
        }

        if (status is null && batchId is null && profiles is null)
        {
            return null;
        }

        return new BulkBatchStatus(
            string.IsNullOrWhiteSpace(batchId) ? fallbackBatchId : batchId,
            ParseState(status),
            batchSize,
            consumed,
            successful,
            notFound,
            failed,
            profiles);
    }

    /// <summary>Returns the <c>batchId</c> query parameter of a status URL (decoded), or <see langword="null"/>.</summary>
    public static string? GetBatchId(Uri statusUrl)
    {
        foreach (string pair in statusUrl.Query.TrimStart('?').Split('&'))
        {
            if (pair.StartsWith("batchId=", StringComparison.Ordinal))
            {
                string value = Uri.UnescapeDataString(pair["batchId=".Length..]);
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    private static BulkBatchState ParseState(string? status) => status?.ToUpperInvariant() switch
    {
        "COMPLETE" => BulkBatchState.Complete,
        "INCOMPLETE" => BulkBatchState.Incomplete,
        "STUCK" => BulkBatchState.Stuck,
        _ => BulkBatchState.Unknown,
    };

    private static BulkProfileState ParseProfileState(string? status) => status?.ToUpperInvariant() switch
    {
        "SUCCESS" => BulkProfileState.Success,
        "ERROR" => BulkProfileState.Error,
        "PENDING" => BulkProfileState.Pending,
        _ => BulkProfileState.Unknown,
    };

    private static long? ParseCount(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out long value) && value >= 0 ? value : null;

    private static BulkProfileStatus ReadProfile(XmlReader reader)
    {
        string id = string.Empty;
        string? status = null;
        int depth = reader.Depth;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return new BulkProfileStatus(id, BulkProfileState.Unknown);
        }

        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1)
            {
                switch (reader.LocalName)
                {
                    case "id":
                        id = ReadText(reader) ?? string.Empty;
                        continue;
                    case "status":
                        status = ReadText(reader);
                        continue;
                }
            }

            reader.Read();
        }

        reader.Read(); // past </profile>
        return new BulkProfileStatus(id, ParseProfileState(status));
    }

    /// <summary>Reads an element's text (child elements are skipped) and moves past it.</summary>
    private static string? ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        int depth = reader.Depth;
        string? text = null;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace && reader.Depth == depth + 1)
            {
                text = text is null ? reader.Value : text + reader.Value;
            }

            reader.Read();
        }

        reader.Read(); // past the end tag
        return text?.Trim() ?? string.Empty;
    }

    private static bool ReadToRoot(XmlReader reader)
    {
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                return true;
            }
        }

        return false;
    }

    private static XmlReader CreateReader(ReadOnlyMemory<byte> body, int maxBytes)
    {
        var stream = MemoryMarshal.TryGetArray(body, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            MaxCharactersInDocument = maxBytes,
            CloseInput = true,
        };
        return XmlReader.Create(stream, settings);
    }
}
