using System.Runtime.CompilerServices;
using TargetProfileUpdate.Bulk;

namespace TargetProfileUpdate.Tests.Bulk;

internal static class BulkTestSupport
{
    public static async IAsyncEnumerable<ProfileUpdate> ToAsync(IEnumerable<ProfileUpdate?> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row!;
        }

        await Task.CompletedTask;
    }

    /// <summary>Runs the batcher over the rows and returns each batch's bytes and metadata.</summary>
    public static async Task<(List<(string Body, long FirstIndex, long LastIndex, int Rows, long Length)> Batches, IReadOnlyList<BulkRowRejection> Rejections, long RowsRead)> CutAsync(
        IEnumerable<ProfileUpdate?> rows, int maxRows = BulkUploadOptions.MaxRowsLimit, int maxBytes = BulkUploadOptions.MaxBytesLimit)
    {
        using var batcher = new BulkBatcher(maxRows, maxBytes);
        var batches = new List<(string, long, long, int, long)>();
        await foreach (var batch in batcher.ReadBatchesAsync(ToAsync(rows), CancellationToken.None))
        {
            using (batch)
            {
                byte[] bytes = batch.ToArray();
                Assert.Equal(batch.Length, bytes.Length);
                batches.Add((System.Text.Encoding.UTF8.GetString(bytes), batch.FirstIndex, batch.LastIndex, batch.Rows, batch.Length));
            }
        }

        return (batches, batcher.Rejections, batcher.RowsRead);
    }

    public static BulkBatch AcceptedBatch(EncodedBatch batch, int number) =>
        new("batch-" + number, new Uri("https://mboxedge45.tt.omtrdc.net/m2/demo/profile/batchStatus?batchId=batch-" + number), batch.FirstIndex, batch.Rows, batch.Length, BulkApiVersion.V2);
}
