using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// Reads a bulk <c>batchUpdate</c> body as it streams in: <c>batch=</c>, a CSV header whose first column is <c>pcId</c>
/// or <c>thirdPartyId</c>, then one row per visitor. Every field is URL-encoded UTF-8 (<c>+</c> is a space), so a raw
/// <c>,</c> separates fields and a raw line break (<c>\n</c> or <c>\r\n</c>) separates rows. Empty fields are kept as
/// <see langword="null"/> (Adobe ignores them).
/// </summary>
/// <remarks>
/// Rows are staged (ids and values in two flat lists, short values shared) so a batch over a limit or with a bad header
/// is refused whole; past a limit the rest of the body is only counted and discarded.
/// </remarks>
internal sealed class BatchBodyReader
{
    private static readonly byte[] Prefix = "batch="u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly long _maxBytes;
    private readonly int _maxRows;
    private readonly Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private readonly List<string?> _values = [];
    private readonly List<string?> _ids = [];
    private long _line;
    private bool _prefixChecked;

    private BatchBodyReader(long maxBytes, int maxRows)
    {
        _maxBytes = maxBytes;
        _maxRows = maxRows;
    }

    /// <summary>Gets why the batch is refused (a <c>&lt;message&gt;</c>), or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets the CSV bytes (after <c>batch=</c>) received.</summary>
    public long Bytes { get; private set; }

    /// <summary>Gets the data rows received (counted until a limit is passed).</summary>
    public long Rows { get; private set; }

    /// <summary>Gets the header's first column: <c>pcId</c> or <c>thirdPartyId</c>.</summary>
    public string IdColumn { get; private set; } = string.Empty;

    /// <summary>Gets the attribute names of the header (index 0 is the id column, <see langword="null"/>).</summary>
    public string?[] Names { get; private set; } = [];

    /// <summary>Gets each staged row's id; <see langword="null"/> for a row without one or with more fields than the header.</summary>
    public IReadOnlyList<string?> Ids => _ids;

    /// <summary>Gets the staged values, <c>Names.Length</c> per row (index 0 unused).</summary>
    public List<string?> Values => _values;

    /// <summary>Reads the whole body.</summary>
    public static async Task<BatchBodyReader> ReadAsync(PipeReader body, long maxBytes, int maxRows, CancellationToken cancellationToken)
    {
        var reader = new BatchBodyReader(maxBytes, maxRows);
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = reader.Consume(buffer, result.IsCompleted);
            body.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        if (reader.Error is null && reader.IdColumn.Length == 0)
        {
            reader.Error = "The batch is empty: expected a header row starting with pcId or thirdPartyId";
        }

        return reader;
    }

    /// <summary>Processes the complete lines of <paramref name="buffer"/> (all of it when <paramref name="final"/>); returns how far it got.</summary>
    private SequencePosition Consume(ReadOnlySequence<byte> buffer, bool final)
    {
        if (!_prefixChecked)
        {
            if (buffer.Length < Prefix.Length && !final)
            {
                return buffer.Start;
            }

            _prefixChecked = true;
            if (!buffer.Slice(0, Math.Min(buffer.Length, Prefix.Length)).ToArray().AsSpan().SequenceEqual(Prefix))
            {
                Error = "The body must start with batch= followed by the CSV";
            }
            else
            {
                buffer = buffer.Slice(Prefix.Length);
            }
        }

        if (Error is not null)
        {
            Bytes += buffer.Length;
            return buffer.End;
        }

        var reader = new SequenceReader<byte>(buffer);
        while (Error is null)
        {
            if (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                Bytes += line.Length + 1;
                Line(line);
                continue;
            }

            if (final && !reader.End)
            {
                var last = reader.UnreadSequence;
                Bytes += last.Length;
                Line(last);
                reader.AdvanceToEnd();
            }

            break;
        }

        if (Error is null && Bytes + reader.Remaining > _maxBytes)
        {
            Over(string.Create(CultureInfo.InvariantCulture, $"The batch is larger than {_maxBytes} bytes"));
        }

        if (Error is not null)
        {
            Bytes += reader.Remaining;
            reader.AdvanceToEnd();
        }

        return reader.Position;
    }

    private void Line(ReadOnlySequence<byte> sequence)
    {
        _line++;
        if (Bytes > _maxBytes)
        {
            Over(string.Create(CultureInfo.InvariantCulture, $"The batch is larger than {_maxBytes} bytes"));
            return;
        }

        byte[]? rented = null;
        ReadOnlySpan<byte> line;
        if (sequence.IsSingleSegment)
        {
            line = sequence.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)sequence.Length);
            sequence.CopyTo(rented);
            line = rented.AsSpan(0, (int)sequence.Length);
        }

        try
        {
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                return;
            }

            if (IdColumn.Length == 0)
            {
                Header(line);
            }
            else
            {
                Row(line);
            }
        }
        catch (DecoderFallbackException)
        {
            Error = string.Create(CultureInfo.InvariantCulture, $"Line {_line} is not URL-encoded UTF-8");
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private void Header(ReadOnlySpan<byte> line)
    {
        var names = new List<string?>();
        foreach (var range in line.Split((byte)','))
        {
            names.Add(Decode(line[range], share: false));
        }

        if (names[0] is not ("pcId" or "thirdPartyId"))
        {
            Error = "The first column of the header must be pcId or thirdPartyId";
            return;
        }

        for (int i = 1; i < names.Count; i++)
        {
            if (names[i] is null)
            {
                Error = string.Create(CultureInfo.InvariantCulture, $"Column {i + 1} of the header has no name");
                return;
            }
        }

        IdColumn = names[0]!;
        names[0] = null;
        Names = [.. names];
    }

    private void Row(ReadOnlySpan<byte> line)
    {
        if (++Rows > _maxRows)
        {
            Over(string.Create(CultureInfo.InvariantCulture, $"The batch has more than {_maxRows} rows"));
            return;
        }

        int start = _values.Count;
        int field = 0;
        bool tooMany = false;
        string? id = null;
        foreach (var range in line.Split((byte)','))
        {
            if (field >= Names.Length)
            {
                tooMany = true;
                break;
            }

            string? value = Decode(line[range], share: field > 0);
            if (field == 0)
            {
                id = value;
                _values.Add(null);
            }
            else
            {
                _values.Add(value);
            }

            field++;
        }

        if (tooMany)
        {
            _values.RemoveRange(start, _values.Count - start);
        }

        while (_values.Count - start < Names.Length)
        {
            _values.Add(null);
        }

        // A row with more fields than the header, or without an id, fails whole (counted in failedUpdates).
        _ids.Add(tooMany ? null : id);
    }

    private void Over(string message)
    {
        Error ??= message;
        _ids.Clear();
        _values.Clear();
    }

    /// <summary>URL-decodes one field exactly once (<c>%XX</c> and <c>+</c>); empty gives <see langword="null"/>.</summary>
    private string? Decode(ReadOnlySpan<byte> raw, bool share)
    {
        if (raw.IsEmpty)
        {
            return null;
        }

        byte[]? rented = null;
        Span<byte> bytes = raw.Length <= 512 ? stackalloc byte[raw.Length] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            int n = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                byte b = raw[i];
                if (b == (byte)'+')
                {
                    b = (byte)' ';
                }
                else if (b == (byte)'%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }

                bytes[n++] = b;
            }

            bytes = bytes[..n];
            if (!share || n > 64)
            {
                return StrictUtf8.GetString(bytes);
            }

            Span<char> chars = stackalloc char[n];
            int length = StrictUtf8.GetChars(bytes, chars);
            var lookup = _shared.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..length], out string? known))
            {
                return known;
            }

            string value = new(chars[..length]);
            if (_shared.Count < 10_000)
            {
                _shared[value] = value;
            }

            return value;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
