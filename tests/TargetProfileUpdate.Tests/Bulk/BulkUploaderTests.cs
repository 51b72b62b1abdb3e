using TargetProfileUpdate.Bulk;
using TargetProfileUpdate.Tests.TestSupport;
using static TargetProfileUpdate.Tests.Bulk.BulkTestSupport;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class BulkUploaderTests
{
    private static IEnumerable<ProfileUpdate?> Rows(int count, Func<int, bool>? bad = null) =>
        Enumerable.Range(0, count).Select(i => bad?.Invoke(i) == true
            ? ProfileUpdate.ForThirdPartyId("bad+" + i).Set("a", "1")
            : ProfileUpdate.ForThirdPartyId("t" + i).Set("a", "1"));

    [Fact]
    public async Task Upload_AllAccepted_AccountsForEveryRow()
    {
        var submitted = new List<(long First, int Rows, byte[] Body)>();
        var progress = new List<BulkUploadProgress>();

        var result = await BulkUploader.UploadAsync(
            ToAsync(Rows(25, i => i == 12)),
            new BulkUploadOptions { MaxRowsPerBatch = 10, Progress = new SyncProgress<BulkUploadProgress>(progress.Add) },
            (batch, _) =>
            {
                submitted.Add((batch.FirstIndex, batch.Rows, batch.ToArray()));
                return ValueTask.FromResult(AcceptedBatch(batch, submitted.Count));
            },
            CancellationToken.None);

        Assert.Equal([(0L, 10), (10L, 10), (21L, 4)], submitted.Select(s => (s.First, s.Rows)));
        Assert.Equal((25L, 24L, 1L), (result.Submitted, result.Sent, result.Rejected));
        Assert.Equal(12, Assert.Single(result.Rejections).Index);
        Assert.Equal(["batch-1", "batch-2", "batch-3"], result.Batches.Select(b => b.BatchId));
        Assert.Equal(submitted.Sum(s => (long)s.Body.Length), result.Batches.Sum(b => b.Bytes));
        Assert.Equal(new BulkUploadProgress(25, 24, 3, result.Batches.Sum(b => b.Bytes)), progress[^1]);
        Assert.Equal([10L, 20, 24, 24], progress.Select(p => p.RowsSent));
    }

    [Fact]
    public async Task Upload_FailureInBatch2Of3_PartialResultNamesExactlyTheUnacceptedRows()
    {
        int calls = 0;
        var failure = new ProfileApiException("Adobe Target refused the call with HTTP 400.", 400, "<response>bad</response>", 1, false);

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => BulkUploader.UploadAsync(
            ToAsync(Rows(30, i => i is 5 or 15)),
            new BulkUploadOptions { MaxRowsPerBatch = 10 },
            (batch, _) => ++calls == 2 ? throw failure : ValueTask.FromResult(AcceptedBatch(batch, calls)),
            CancellationToken.None));

        // Batch 1 holds rows 0-10 without 5; batch 2 starts at 11 (rows 11-21 without 15) and was refused.
        var accepted = Assert.Single(ex.PartialResult.Batches);
        Assert.Equal((0L, 10), (accepted.FirstIndex, accepted.Rows));
        Assert.Equal(11, ex.FirstUnacceptedIndex);
        Assert.Equal((11L, 10L, 1L), (ex.PartialResult.Submitted, ex.PartialResult.Sent, ex.PartialResult.Rejected));
        Assert.Equal(5, Assert.Single(ex.PartialResult.Rejections).Index);

        // Rows read so far: batch 2's rows and the row that cut it (22); the rest of the source was not read.
        Assert.Equal(23 - 11, ex.UnacceptedCount);
        Assert.Equal(2, calls);
        Assert.Equal((400, "<response>bad</response>", 1, false), (ex.StatusCode, ex.ResponseBody, ex.Attempts, ex.IsTransient));
        Assert.Same(failure, ex.InnerException);
        Assert.Contains("#11", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_SourceThrowsWhileABatchIsBeingBuilt_ThoseRowsAreNamedUnaccepted()
    {
        static IEnumerable<ProfileUpdate?> Failing()
        {
            foreach (var row in Rows(14))
            {
                yield return row;
            }

            throw new IOException("disk gone");
        }

        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => BulkUploader.UploadAsync(
            ToAsync(Failing()),
            new BulkUploadOptions { MaxRowsPerBatch = 10 },
            (batch, _) => ValueTask.FromResult(AcceptedBatch(batch, 1)),
            CancellationToken.None));

        Assert.Equal(10, ex.FirstUnacceptedIndex);
        Assert.Equal(4, ex.UnacceptedCount);
        Assert.Equal(10, ex.PartialResult.Sent);
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task Upload_CanceledDuringSubmit_ThrowsCanceledWithPartialResult()
    {
        using var cts = new CancellationTokenSource();
        int calls = 0;

        var ex = await Assert.ThrowsAsync<BulkUploadCanceledException>(() => BulkUploader.UploadAsync(
            ToAsync(Rows(30), cts.Token),
            new BulkUploadOptions { MaxRowsPerBatch = 10 },
            async (batch, ct) =>
            {
                if (++calls == 2)
                {
                    await cts.CancelAsync();
                    ct.ThrowIfCancellationRequested();
                }

                return AcceptedBatch(batch, calls);
            },
            cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(10, ex.FirstUnacceptedIndex);
        Assert.Equal(11, ex.UnacceptedCount);
        Assert.Equal((10L, 10L, 0L), (ex.PartialResult.Submitted, ex.PartialResult.Sent, ex.PartialResult.Rejected));
    }

    [Fact]
    public async Task Upload_CanceledWhileReading_StopsReadingAndNamesTheBatchBeingBuilt()
    {
        using var cts = new CancellationTokenSource();
        int read = 0;
        IEnumerable<ProfileUpdate?> Source()
        {
            foreach (var row in Rows(1000))
            {
                if (++read == 15)
                {
                    cts.Cancel();
                }

                yield return row;
            }
        }

        var ex = await Assert.ThrowsAsync<BulkUploadCanceledException>(() => BulkUploader.UploadAsync(
            ToAsync(Source()),
            new BulkUploadOptions { MaxRowsPerBatch = 10 },
            (batch, _) => ValueTask.FromResult(AcceptedBatch(batch, 1)),
            cts.Token));

        Assert.True(read <= 16, "the source was read on after cancellation: " + read);
        Assert.Equal(10, ex.FirstUnacceptedIndex);
        // The 15th row was taken by the adapter, which saw the cancellation before handing it on: 14 rows reached the upload.
        Assert.Equal(4, ex.UnacceptedCount);
        Assert.Equal(10, ex.PartialResult.Sent);
    }

    [Fact]
    public async Task Upload_NonApiFailure_IsWrappedWithoutItsMessage()
    {
        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => BulkUploader.UploadAsync(
            ToAsync([PersonalData.Update()]),
            null,
            (_, _) => throw new InvalidOperationException(PersonalData.Id),
            CancellationToken.None));

        Assert.Equal(0, ex.FirstUnacceptedIndex);
        Assert.Equal(1, ex.UnacceptedCount);
        PersonalData.AssertAbsentFrom([ex.Message]);
    }

    [Fact]
    public async Task Upload_TimeoutNotFromTheCallersToken_IsAFailureNotACancellation()
    {
        var ex = await Assert.ThrowsAsync<BulkUploadException>(() => BulkUploader.UploadAsync(
            ToAsync(Rows(3)),
            null,
            (_, _) => throw new TaskCanceledException("timeout"),
            CancellationToken.None));

        Assert.Equal(0, ex.FirstUnacceptedIndex);
    }

    [Fact]
    public async Task Upload_EmptySource_ReturnsEmptyResultWithoutSubmitting()
    {
        var result = await BulkUploader.UploadAsync(ToAsync([]), null, (_, _) => throw new InvalidOperationException("no"), CancellationToken.None);

        Assert.Equal((0L, 0L, 0L), (result.Submitted, result.Sent, result.Rejected));
        Assert.Empty(result.Batches);
    }

    [Theory]
    [InlineData(0, 1000, "MaxRowsPerBatch")]
    [InlineData(500_001, 1000, "MaxRowsPerBatch")]
    [InlineData(10, 63, "MaxBytesPerBatch")]
    [InlineData(10, 50_000_001, "MaxBytesPerBatch")]
    public async Task Upload_OptionOutOfRange_IsRefusedBeforeReadingNamingTheFieldAndLimit(int maxRows, int maxBytes, string field)
    {
        bool read = false;
        IEnumerable<ProfileUpdate?> Source()
        {
            read = true;
            yield break;
        }

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => BulkUploader.UploadAsync(
            ToAsync(Source()), new BulkUploadOptions { MaxRowsPerBatch = maxRows, MaxBytesPerBatch = maxBytes }, (_, _) => throw new InvalidOperationException(), CancellationToken.None));

        Assert.Equal(field, ex.ParamName);
        Assert.Contains("BulkUploadOptions." + field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(field == "MaxRowsPerBatch" ? "500,000" : "50,000,000", ex.Message, StringComparison.Ordinal);
        Assert.False(read);
    }

    [Fact]
    public async Task Upload_UndefinedApiVersion_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => BulkUploader.UploadAsync(
            ToAsync([]), new BulkUploadOptions { ApiVersion = (BulkApiVersion)7 }, (_, _) => throw new InvalidOperationException(), CancellationToken.None));

        Assert.Equal("ApiVersion", ex.ParamName);
    }

    [Fact]
    public void Result_CountsThatDoNotAddUp_AreRefused()
    {
        var batch = new BulkBatch("b", new Uri("https://a.tt.omtrdc.net/s"), 0, 2, 10, BulkApiVersion.V2);
        var rejection = new BulkRowRejection(2, null, "r");

        Assert.Equal(3, new BulkUploadResult([batch], 3, 2, 1, [rejection]).Submitted);
        Assert.Throws<ArgumentException>(() => new BulkUploadResult([batch], 4, 2, 1, [rejection]));
        Assert.Throws<ArgumentException>(() => new BulkUploadResult([batch], 3, 2, 1, []));
        Assert.Throws<ArgumentException>(() => new BulkUploadResult([batch], 4, 3, 1, [rejection]));
    }

    [Fact]
    public void Exception_FirstUnacceptedIndexMustMatchThePartialResult()
    {
        var partial = new BulkUploadResult([], 0, 0, 0, []);

        Assert.Throws<ArgumentOutOfRangeException>(() => new BulkUploadException("m", partial, 1, 0));
        Assert.Equal(0, new BulkUploadCanceledException(partial, 0, 5, CancellationToken.None).FirstUnacceptedIndex);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
