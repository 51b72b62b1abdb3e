using System.Runtime.CompilerServices;
using TargetProfileUpdate.Bulk;

namespace TargetProfileUpdate.Tests.Bulk;

public sealed class BulkMemoryTests
{
    private const int RowCount = 300_000;

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Batcher_300kRows_KeepsNoRowAndAllocatesABoundedAmountPerRow()
    {
        await CutAsync(20_000, []); // warm-up, so tiered compilation does not count

        var sampled = new List<WeakReference<ProfileUpdate>>();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (rows, batches) = await CutAsync(RowCount, sampled);
        long perRow = (GC.GetAllocatedBytesForCurrentThread() - before) / RowCount;

        Assert.Equal(RowCount, rows);
        Assert.Equal(RowCount / 5_000, batches);

        // The source's own update (object, attribute list, id and value strings) costs 600 to 1,000 bytes (tiering); rows are encoded
        // into pooled segments and the batcher's per-batch costs are spread over 5,000 rows, so the total per row stays
        // bounded. What matters most is checked below: nothing of a row is kept once it is encoded.
        Assert.True(perRow < 2_048, $"{perRow} bytes allocated per row");

        // No update is retained once its batch is encoded.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.All(sampled, weak => Assert.False(weak.TryGetTarget(out _), "an update was retained"));
    }

    private static async Task<(long Rows, long Batches)> CutAsync(int count, List<WeakReference<ProfileUpdate>> sampled)
    {
        long rows = 0;
        long batches = 0;
        using var batcher = new BulkBatcher(maxRowsPerBatch: 5_000, maxBytesPerBatch: 1_000_000);
        await foreach (var batch in batcher.ReadBatchesAsync(Generate(count, sampled), CancellationToken.None))
        {
            rows += batch.Rows;
            batches++;
            batch.Dispose();
        }

        return (rows, batches);
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
