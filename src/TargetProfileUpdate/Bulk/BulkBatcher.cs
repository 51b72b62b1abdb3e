using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate.Bulk;

/// <summary>
/// Reads a source of updates once, streaming, validates each row, and cuts the valid rows into <see cref="EncodedBatch"/>es
/// at <see cref="BulkUploadOptions.MaxRowsPerBatch"/> or <see cref="BulkUploadOptions.MaxBytesPerBatch"/>, whichever comes
/// first. A batch never exceeds either limit: its length is known exactly before each row is added (the header only grows
/// by the names a row adds; rows already written never change, see <see cref="BulkCsvEncoder"/>).
/// </summary>
/// <remarks>
/// <para>Memory: the rows are encoded as they are read into pooled segments; the updates themselves are not kept. So
/// about one batch of encoded bytes is held at a time, plus the column names of that batch.</para>
/// <para>Rejected rows (<see cref="Rejections"/>, in source order) are never part of a batch: a null row; a row whose
/// id kind the bulk API does not take (an ECID); a row whose kind differs from the upload's (fixed by the first row
/// that is accepted into a batch); a <c>thirdPartyId</c> with <c>+</c> or <c>/</c>; a row with no attributes; a row
/// with an attribute named <c>thirdPartyId</c> or <c>pcId</c> (it would be a second id column); a row
/// that alone does not fit in <see cref="BulkUploadOptions.MaxBytesPerBatch"/>.</para>
/// <para>Not thread-safe: one batcher per upload. Consume each batch (and dispose it) before asking for the next.</para>
/// </remarks>
internal sealed class BulkBatcher : IDisposable
{
    public const string NullRow = "The source yielded null instead of an update.";
    public const string UnsupportedKind = "The Bulk Profile Update API identifies profiles only by pcId or thirdPartyId; an Experience Cloud ID (ECID) row cannot be sent.";
    public const string MixedKinds = "The row's kind of id differs from the upload's (fixed by its first accepted row): one upload carries pcId rows or thirdPartyId rows, not both.";
    public const string ForbiddenThirdPartyIdCharacter = "The thirdPartyId contains '+' or '/', which the Bulk Profile Update API does not accept.";
    public const string NoAttributes = "The row sets no attributes.";
    public const string IdColumnName = "The row sets an attribute named thirdPartyId or pcId: in a bulk batch that would be a second id column in the header. Rename the attribute.";
    public const string RowTooLarge = "The row alone, with the header line, is larger than MaxBytesPerBatch.";

    private readonly int _maxRows;
    private readonly int _maxBytes;
    private readonly List<BulkRowRejection> _rejections = [];
    private readonly ProfileAttributeLinter? _linter;

    // The batch being built.
    // Each column's index and its name's encoded length (so a known name is never scanned again).
    private readonly Dictionary<string, (int Column, int EncodedLength)> _columnIndex = new(StringComparer.Ordinal);
    private readonly List<string> _columns = [];
    private readonly List<int> _columnLengths = [];
    private readonly PooledSegments _segments = new();
    private long _encodedNamesLength;
    private int _rows;
    private long _firstIndex;
    private long _lastIndex;

    // Scratch for the row being added: its attributes' columns, values and names; cleared after each row.
    private int[] _rowColumns = new int[16];
    private int[] _rowNameLengths = new int[16];

    // The columns of the last row added, by attribute position (indices only: no reference to its data is kept).
    private int[] _previousColumns = new int[16];
    private int _previousRowCount;
    private string[] _rowValues = new string[16];
    private string[] _rowNames = new string[16];

    private ProfileIdKind? _kind;

    public BulkBatcher(int maxRowsPerBatch, int maxBytesPerBatch, ProfileAttributeLinter? linter = null)
    {
        _maxRows = maxRowsPerBatch;
        _maxBytes = maxBytesPerBatch;
        _linter = linter;
    }

    private enum AddResult
    {
        Added,
        BatchFull,
        TooLarge,
    }

    /// <summary>Gets or sets the account's suppression list: a row for a listed id is rejected
    /// (<see cref="BulkRowRejection.SuppressedReason"/>) before it joins a batch.</summary>
    public ISuppressionList? Suppression { get; init; }

    /// <summary>Gets or sets what is called for each suppressed row (counting).</summary>
    public Action? OnSuppressed { get; init; }

    /// <summary>Gets how many rows were taken from the source.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Gets the rejected rows, in source order.</summary>
    public IReadOnlyList<BulkRowRejection> Rejections => _rejections;

    /// <summary>Gets the source index of the first row of the batch being built, or <see langword="null"/> when it is empty.</summary>
    public long? PendingFirstIndex => _rows > 0 ? _firstIndex : null;

    /// <summary>Gets the kind of id of the upload, once a row was accepted.</summary>
    public ProfileIdKind? IdKind => _kind;

    /// <summary>Returns whether the bulk API can key a row by this kind of id. Any kind added later (the Experience Cloud
    /// ID, <c>MarketingCloudVisitorId</c>) is refused here without a change.</summary>
    public static bool IsSupportedKind(ProfileIdKind kind) => kind is ProfileIdKind.PcId or ProfileIdKind.ThirdPartyId;

    /// <summary>Reads the source and yields the batches, the last one possibly short.</summary>
    public async IAsyncEnumerable<EncodedBatch> ReadBatchesAsync(IAsyncEnumerable<ProfileUpdate?> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                long index = RowsRead++;
                cancellationToken.ThrowIfCancellationRequested();
                string? reason = Validate(update);
                if (reason is not null)
                {
                    _rejections.Add(new BulkRowRejection(index, update?.Id, reason));
                    continue;
                }

                if (Suppression is { } suppression && await suppression.ContainsAsync(update!.Id, cancellationToken).ConfigureAwait(false))
                {
                    _rejections.Add(new BulkRowRejection(index, update.Id, BulkRowRejection.SuppressedReason));
                    OnSuppressed?.Invoke();
                    continue;
                }

                var result = TryAdd(update!, index);
                if (result == AddResult.BatchFull)
                {
                    yield return Complete();
                    result = TryAdd(update!, index);
                }

                if (result == AddResult.TooLarge)
                {
                    _rejections.Add(new BulkRowRejection(index, update!.Id, RowTooLarge));
                }
            }

            if (_rows > 0)
            {
                yield return Complete();
            }
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Returns the pooled memory of a batch being built (ending or abandoning the enumeration does it too).
    /// <see cref="PendingFirstIndex"/> keeps its value, so a caller can still account for the rows that were not sent.</summary>
    public void Dispose() => _segments.Dispose();

    private string? Validate(ProfileUpdate? update)
    {
        if (update is null)
        {
            return NullRow;
        }

        var kind = update.Id.Kind;
        if (!IsSupportedKind(kind))
        {
            return UnsupportedKind;
        }

        if (_kind is { } fixedKind && fixedKind != kind)
        {
            return MixedKinds;
        }

        if (kind == ProfileIdKind.ThirdPartyId && update.Id.Value.AsSpan().IndexOfAny('+', '/') >= 0)
        {
            return ForbiddenThirdPartyIdCharacter;
        }

        if (update.AttributeList.Count == 0)
        {
            return NoAttributes;
        }

        foreach (var (name, _) in update.AttributeList)
        {
            if (IsIdColumnName(name))
            {
                return IdColumnName;
            }
        }

        // Target's attribute rules (the account's Linting mode): Strict rejects the row, Warn logs once per name.
        return _linter?.RejectionReason(update);
    }

    /// <summary>Whether an attribute name is one of the bulk header's id columns (compared ignoring case, as a server may):
    /// such an attribute would add a second id column to the batch.</summary>
    public static bool IsIdColumnName(string name) =>
        string.Equals(name, "thirdPartyId", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "pcId", StringComparison.OrdinalIgnoreCase);

    private AddResult TryAdd(ProfileUpdate update, long index)
    {
        var attributes = update.AttributeList;
        int count = attributes.Count;
        EnsureScratch(count);

        int newColumns = 0;
        long newNamesLength = 0;
        long allNamesLength = 0;
        long valuesLength = 0;
        int lastColumn = -1;
        int aloneLastColumn = -1;
        int i = 0;
        foreach (var (name, value) in attributes)
        {
            int column;
            int nameLength;
            int previous = i < _previousRowCount ? _previousColumns[i] : int.MaxValue;
            if (previous < _columns.Count && ReferenceEquals(_columns[previous], name))
            {
                // The same name instance at the same place as in the previous row (the usual case: names are literals
                // or come from one schema): no hashing.
                column = previous;
                nameLength = _columnLengths[previous];
            }
            else if (_columnIndex.TryGetValue(name, out var known))
            {
                (column, nameLength) = known;
            }
            else
            {
                // Names within one update are distinct, so each new name gets the next new column.
                nameLength = ProfileUpdateEncoder.GetEncodedLength(name);
                column = _columns.Count + newColumns++;
                newNamesLength += nameLength;
            }

            allNamesLength += nameLength;
            _rowColumns[i] = column;
            _rowNameLengths[i] = nameLength;
            _rowValues[i] = value;
            _rowNames[i] = name;
            if (value.Length > 0)
            {
                // Trailing empty fields are left out, whether the row did not set the column or set it to "".
                lastColumn = Math.Max(lastColumn, column);
                aloneLastColumn = i;
            }

            i++;
        }

        if (update.EncodedAttributesLength < ProfileUpdateEncoder.MaxLength)
        {
            // The update keeps the exact sum of "&profile." + name + "=" + value as attributes are set: the values'
            // length follows from it without scanning them (the writer checks the length it writes anyway).
            valuesLength = update.EncodedAttributesLength - ((long)count * (ProfileUpdateEncoder.AttributePrefix.Length + 1)) - allNamesLength;
        }
        else
        {
            // Saturated: count the values one by one (the row is far over any batch size either way).
            for (int j = 0; j < count; j++)
            {
                valuesLength += ProfileUpdateEncoder.GetEncodedLength(_rowValues[j]);
            }
        }

        try
        {
            string idColumn = BulkCsvEncoder.GetIdColumn(update.Id.Kind);

            // First whether the row fits in a batch of its own (its columns in its own order): if not, it is rejected
            // without cutting the current batch short.
            long aloneLength = BulkCsvEncoder.GetHeaderLength(idColumn, count, allNamesLength)
                + BulkCsvEncoder.GetRowLength(update.Id, aloneLastColumn, valuesLength);
            if (aloneLength > _maxBytes)
            {
                return AddResult.TooLarge;
            }

            long headerLength = BulkCsvEncoder.GetHeaderLength(idColumn, _columns.Count + newColumns, _encodedNamesLength + newNamesLength);
            long rowLength = BulkCsvEncoder.GetRowLength(update.Id, lastColumn, valuesLength);
            if (_rows > 0 && (_rows >= _maxRows || headerLength + _segments.Length + rowLength > _maxBytes))
            {
                return AddResult.BatchFull;
            }

            for (int j = 0; j < count; j++)
            {
                if (_rowColumns[j] >= _columns.Count)
                {
                    // New columns were numbered in attribute order, which is the order they are appended in.
                    _columnIndex.Add(_rowNames[j], (_columns.Count, _rowNameLengths[j]));
                    _columns.Add(_rowNames[j]);
                    _columnLengths.Add(_rowNameLengths[j]);
                }
            }

            _encodedNamesLength += newNamesLength;
            var columns = _rowColumns.AsSpan(0, count);
            columns.CopyTo(_previousColumns);
            _previousRowCount = count;
            var values = _rowValues.AsSpan(0, count);
            if (!IsAscending(columns))
            {
                columns.Sort(values);
            }
            int fields = 0;
            while (fields < count && columns[fields] <= lastColumn)
            {
                fields++;
            }

            int written = BulkCsvEncoder.WriteRow(update.Id, columns[..fields], values[..fields], _segments.Allocate((int)rowLength));
            if (written != rowLength)
            {
                throw new InvalidOperationException("The bulk row encoder wrote a different length than it computed.");
            }

            if (_rows == 0)
            {
                _firstIndex = index;
            }

            _lastIndex = index;
            _rows++;
            _kind ??= update.Id.Kind;
            return AddResult.Added;
        }
        finally
        {
            // Keep no reference to the row's data once it is encoded.
            Array.Clear(_rowValues, 0, count);
            Array.Clear(_rowNames, 0, count);
        }
    }

    private EncodedBatch Complete()
    {
        string idColumn = BulkCsvEncoder.GetIdColumn(_kind!.Value);
        long headerLength = BulkCsvEncoder.GetHeaderLength(idColumn, _columns.Count, _encodedNamesLength);
        byte[] header = ArrayPool<byte>.Shared.Rent((int)headerLength);
        int written = BulkCsvEncoder.WriteHeader(idColumn, _columns, header.AsSpan(0, (int)headerLength));
        long length = headerLength + _segments.Length;
        var batch = new EncodedBatch(header, written, _segments.Detach(), length, _kind.Value, _columns.Count, _firstIndex, _lastIndex, _rows);
        Reset();
        return batch;
    }

    private void Reset()
    {
        _columnIndex.Clear();
        _columns.Clear();
        _columnLengths.Clear();
        _encodedNamesLength = 0;
        _rows = 0;
    }

    private static bool IsAscending(ReadOnlySpan<int> columns)
    {
        for (int i = 1; i < columns.Length; i++)
        {
            if (columns[i] < columns[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private void EnsureScratch(int count)
    {
        if (_rowColumns.Length < count)
        {
            int size = Math.Max(count, _rowColumns.Length * 2);
            _rowColumns = new int[size];
            _rowNameLengths = new int[size];
            Array.Resize(ref _previousColumns, size);
            _rowValues = new string[size];
            _rowNames = new string[size];
        }
    }
}
