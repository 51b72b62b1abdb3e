using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Bulk;

namespace TargetProfileUpdate.Testing;

/// <summary>
/// An in-memory <see cref="IBulkProfileUpdateClient"/> for unit tests, held to the real client's rules: the source is read
/// and cut into batches by the real client's own code, so the same rows are rejected for the same reasons, every batch
/// keeps within <see cref="BulkUploadOptions.MaxRowsPerBatch"/> and <see cref="BulkUploadOptions.MaxBytesPerBatch"/>, and
/// every result keeps <c>Submitted == Sent + Rejected</c>. Nothing is sent anywhere: each accepted batch is recorded
/// (<see cref="Batches"/>, and its rows as immutable snapshots in <see cref="Rows"/>) and its status is served.
/// </summary>
/// <remarks>
/// <para>Script what Adobe might do: <see cref="RefuseNextBatches"/> and <see cref="RefuseBatch"/> make submissions fail (the upload then ends with the
/// same <see cref="BulkUploadException"/> as the real client, naming the first row not accepted);
/// <see cref="StickNextBatches"/> makes accepted batches report <see cref="BulkBatchState.Stuck"/>;
/// <see cref="SetStatus"/> serves any status for a batch id. By default a batch's status is
/// <see cref="BulkBatchState.Complete"/> with every row counted as a successful update.</para>
/// <para>As the real client: a null source throws <see cref="ArgumentNullException"/> at once; bad options and cancellation
/// end the returned task (<see cref="ArgumentOutOfRangeException"/>, <see cref="BulkUploadCanceledException"/>); a status
/// request for a batch this fake does not know ends with a <see cref="ProfileApiException"/> with status 404.</para>
/// <para>Thread-safe. Each upload keeps a snapshot of every row it read until it ends, so very large sources cost memory
/// here that the real client does not spend.</para>
/// </remarks>
public sealed class FakeBulkProfileUpdateClient : IBulkProfileUpdateClient
{
    private readonly object _gate = new();
    private readonly Uri _baseAddress;
    private readonly string _clientCode;
    private readonly List<BulkBatch> _batches = [];
    private readonly List<RecordedBulkRow> _rows = [];
    private readonly List<string> _statusRequests = [];
    private readonly Dictionary<string, BulkBatchStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Queue<Exception> _refusals = new();
    private readonly Dictionary<int, Exception> _refusalsByNumber = [];
    private int _stickNext;
    private int _submissions;
    private int _batchNumber;

    /// <summary>Creates a fake whose batches' status URLs are those of the client code <c>demo</c> at Adobe's edge.</summary>
    public FakeBulkProfileUpdateClient()
        : this(new TargetProfileUpdateOptions { ClientCode = FakeProfileUpdateClient.DefaultClientCode })
    {
    }

    /// <summary>
    /// Creates a fake whose batches' status URLs are under <paramref name="options"/>' base address and client code, as
    /// a real client with those options would be given. Nothing else of the options is used.
    /// </summary>
    /// <param name="options">Your client's options (read now).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="TargetProfileUpdateOptions.ClientCode"/> is empty.</exception>
    public FakeBulkProfileUpdateClient(TargetProfileUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ClientCode))
        {
            throw new ArgumentException("TargetProfileUpdate:ClientCode is required: the fake builds each batch's status URL from it.", nameof(options));
        }

        _clientCode = options.ClientCode;
        _baseAddress = options.GetEffectiveBaseAddress();
    }

    /// <summary>Gets every accepted batch, of every upload, in submission order (a snapshot).</summary>
    public IReadOnlyList<BulkBatch> Batches
    {
        get
        {
            lock (_gate)
            {
                return _batches.ToArray();
            }
        }
    }

    /// <summary>
    /// Gets every row of every accepted batch, in submission order (a snapshot), recorded when its upload ends. Rejected
    /// rows and rows of refused batches are not here: they are in the result's or the exception's accounting.
    /// </summary>
    public IReadOnlyList<RecordedBulkRow> Rows
    {
        get
        {
            lock (_gate)
            {
                return _rows.ToArray();
            }
        }
    }

    /// <summary>Gets the batch id of every <see cref="GetStatusAsync"/> call, in arrival order (a snapshot).</summary>
    public IReadOnlyList<string> StatusRequests
    {
        get
        {
            lock (_gate)
            {
                return _statusRequests.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public Task<BulkUploadResult> UploadAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var version = options?.ApiVersion ?? BulkApiVersion.V2;
        return UploadCoreAsync(updates, options, version, cancellationToken);
    }

    /// <inheritdoc />
    public Task<BulkBatchStatus> GetStatusAsync(BulkBatch batch, CancellationToken cancellationToken = default)
    {
        // As the real client, whose method is async: even a null batch ends the task rather than throwing.
        if (batch is null)
        {
            return Task.FromException<BulkBatchStatus>(new ArgumentNullException(nameof(batch)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<BulkBatchStatus>(cancellationToken);
        }

        try
        {
            // The real client's rule for where the token may go, by its own code.
            StatusUrlTrust.GetTrustedStatusRequestUri(batch.StatusUrl, _baseAddress);
        }
        catch (ProfileApiException untrusted)
        {
            return Task.FromException<BulkBatchStatus>(untrusted);
        }

        BulkBatchStatus? status;
        lock (_gate)
        {
            _statusRequests.Add(batch.BatchId);
            _statuses.TryGetValue(batch.BatchId, out status);
        }

        return status is not null
            ? Task.FromResult(status)
            : Task.FromException<BulkBatchStatus>(new ProfileApiException(
                "The batch status request failed: HTTP 404, 1 attempt(s). Adobe keeps only the last 10 batch statuses per client, for at most 24 hours.",
                statusCode: 404,
                responseBody: null,
                attempts: 1,
                isTransient: false));
    }

    /// <summary>Makes the next <paramref name="count"/> batch submissions fail with <paramref name="exception"/>, then accept again.</summary>
    /// <param name="count">How many submissions fail.</param>
    /// <param name="exception">What the submission throws, for example a <see cref="ProfileApiException"/> with status 400. The
    /// upload wraps it in a <see cref="BulkUploadException"/>, as the real client does.</param>
    /// <returns>This fake, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public FakeBulkProfileUpdateClient RefuseNextBatches(int count, Exception exception)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                _refusals.Enqueue(exception);
            }
        }

        return this;
    }

    /// <summary>
    /// Makes the <paramref name="submissionNumber"/>th batch submission since creation or <see cref="Reset"/> fail with
    /// <paramref name="exception"/> (refused submissions count), as the emulator's <c>EmulatorFault.FailBatch</c> does.
    /// </summary>
    /// <param name="submissionNumber">1 for the first submission.</param>
    /// <param name="exception">What the submission throws; the upload wraps it in a <see cref="BulkUploadException"/>.</param>
    /// <returns>This fake, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="submissionNumber"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public FakeBulkProfileUpdateClient RefuseBatch(int submissionNumber, Exception exception)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(submissionNumber, 1);
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            _refusalsByNumber[submissionNumber] = exception;
        }

        return this;
    }

    /// <summary>Makes the next <paramref name="count"/> accepted batches report <see cref="BulkBatchState.Stuck"/> when asked.</summary>
    /// <param name="count">How many batches get stuck.</param>
    /// <returns>This fake, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public FakeBulkProfileUpdateClient StickNextBatches(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _stickNext += count;
        }

        return this;
    }

    /// <summary>Serves <paramref name="status"/> for its <see cref="BulkBatchStatus.BatchId"/> from now on (for example
    /// <see cref="BulkBatchState.Incomplete"/>, to test polling).</summary>
    /// <param name="status">The status to serve.</param>
    /// <returns>This fake, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="status"/> is <see langword="null"/>.</exception>
    public FakeBulkProfileUpdateClient SetStatus(BulkBatchStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate)
        {
            _statuses[status.BatchId] = status;
        }

        return this;
    }

    /// <summary>
    /// Forgets every batch, row, status and status request, and every scripted refusal or stuck batch; submissions are
    /// numbered from 1 again.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _batches.Clear();
            _rows.Clear();
            _statusRequests.Clear();
            _statuses.Clear();
            _refusals.Clear();
            _refusalsByNumber.Clear();
            _stickNext = 0;
            _submissions = 0;
        }
    }

    private static async IAsyncEnumerable<ProfileUpdate> Snapshot(IAsyncEnumerable<ProfileUpdate> source, List<ProfileUpdate?> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            read.Add(update is null ? null : Copy(update));
            yield return update!;
        }
    }

    private static ProfileUpdate Copy(ProfileUpdate update)
    {
        var copy = new ProfileUpdate(update.Id);
        foreach (var (name, value) in update.Attributes)
        {
            copy.Set(name, value);
        }

        return copy;
    }

    private async Task<BulkUploadResult> UploadCoreAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options, BulkApiVersion version, CancellationToken cancellationToken)
    {
        var read = new List<ProfileUpdate?>();
        var accepted = new List<BulkBatch>();
        try
        {
            var result = await BulkUploader.UploadAsync(Snapshot(updates, read, cancellationToken), options, (batch, ct) => Submit(batch, version, accepted, ct), cancellationToken).ConfigureAwait(false);
            Record(read, accepted, result.Rejections);
            return result;
        }
        catch (BulkUploadException failed)
        {
            Record(read, accepted, failed.PartialResult.Rejections);
            throw;
        }
        catch (BulkUploadCanceledException canceled)
        {
            Record(read, accepted, canceled.PartialResult.Rejections);
            throw;
        }
    }

    private ValueTask<BulkBatch> Submit(EncodedBatch encoded, BulkApiVersion version, List<BulkBatch> accepted, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BulkBatch batch;
        lock (_gate)
        {
            int submission = ++_submissions;
            if (_refusalsByNumber.Remove(submission, out var byNumber))
            {
                throw byNumber;
            }

            if (_refusals.Count > 0)
            {
                throw _refusals.Dequeue();
            }

            string id = "fake-batch-" + (++_batchNumber).ToString(CultureInfo.InvariantCulture);
            string path = version == BulkApiVersion.V1 ? "/profile/batchStatus" : "/v2/profile/batchStatus";
            var statusUrl = new Uri(_baseAddress.AbsoluteUri + "m2/" + _clientCode + path + "?batchId=" + id, UriKind.Absolute);
            batch = new BulkBatch(id, statusUrl, encoded.FirstIndex, encoded.Rows, encoded.Length, version);
            bool stuck = _stickNext > 0;
            if (stuck)
            {
                _stickNext--;
            }

            _statuses[id] = stuck
                ? new BulkBatchStatus(id, BulkBatchState.Stuck, batchSize: encoded.Rows)
                : new BulkBatchStatus(id, BulkBatchState.Complete, batchSize: encoded.Rows, consumedCount: encoded.Rows, successfulUpdates: encoded.Rows, profilesNotFound: 0, failedUpdates: 0);
            _batches.Add(batch);
        }

        accepted.Add(batch);
        return ValueTask.FromResult(batch);
    }

    /// <summary>Records the rows of the upload's accepted batches: each batch holds the rows from its first index on that were not rejected.</summary>
    private void Record(List<ProfileUpdate?> read, List<BulkBatch> accepted, IReadOnlyList<BulkRowRejection> rejections)
    {
        var rejected = new HashSet<long>();
        foreach (var rejection in rejections)
        {
            rejected.Add(rejection.Index);
        }

        var rows = new List<RecordedBulkRow>();
        foreach (var batch in accepted)
        {
            long index = batch.FirstIndex;
            for (int taken = 0; taken < batch.Rows; index++)
            {
                if (!rejected.Contains(index) && read[(int)index] is { } update)
                {
                    rows.Add(new RecordedBulkRow(index, update, batch.BatchId));
                    taken++;
                }
            }
        }

        lock (_gate)
        {
            _rows.AddRange(rows);
        }
    }
}
