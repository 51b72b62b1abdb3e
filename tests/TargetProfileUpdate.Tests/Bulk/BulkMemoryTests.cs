using System.Runtime.CompilerServices;
using TargetProfileUpdate.Bulk;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class BulkMemoryTests
{
    private const int RowCount = 300_000;

    [Fact]
    public async Task Batcher_300kRows_KeepsNoRowAndAllocatesABoundedAmountPerRow()
    {
        var sampled = new List<WeakReference<ProfileUpdate>>();
        var source = Generate(RowCount, sampled);
        long rows = 0;
        long batches = 0;
        long maxBatchBytes = 0;

        using var batcher = new BulkBatcher(maxRowsPerBatch: 5_000, maxBytesPerBatch: 1_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        await foreach (var batch in batcher.ReadBatchesAsync(source, CancellationToken.None))
        {
            rows += batch.Rows;
            batches++;
            maxBatchBytes = Math.Max(maxBatchBytes, batch.Length);
            batch.Dispose();
        }

        long allocatedPerRow = (GC.GetAllocatedBytesForCurrentThread() - before) / RowCount;

        Assert.Equal(RowCount, rows);
        Assert.Equal(RowCount / 5_000, batches);

        // The source's own update (object, attribute list, strings) costs several hundred bytes; the batcher adds no
        // per-row buffers of its own (rows go into pooled segments), so the total stays well under 2 KB a row.
        Assert.True(allocatedPerRow < 2_048, "allocated per row: " + allocatedPerRow);

        // No update is retained once its batch is encoded.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.All(sampled, weak => Assert.False(weak.TryGetTarget(out _), "an update was retained"));
    }

    private static async IAsyncEnumerable<ProfileUpdate?> Generate(int count, List<WeakReference<ProfileUpdate>> sampled, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            var update = Create(i);
            if (i % 10_000 == 0)
            {
                sampled.Add(new WeakReference<ProfileUpdate>(update));
            }

            yield return update;
        }

        await Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ProfileUpdate Create(int i) =>
        ProfileUpdate.ForThirdPartyId("crm-" + i).Set("tier", (i % 3) switch { 0 => "gold", 1 => "silver", _ => "bronze" }).Set("visits", i);
}
