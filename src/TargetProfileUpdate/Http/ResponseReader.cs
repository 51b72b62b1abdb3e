using System;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Http;

/// <summary>Reads the start of a response body into a caller's buffer: every documented answer is far shorter.</summary>
internal static class ResponseReader
{
    /// <summary>Reads at most <paramref name="limit"/> bytes into <paramref name="buffer"/> and returns how many were read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<int> ReadStartAsync(HttpResponseMessage response, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        int total = 0;
        int read;
        while (total < limit && (read = await stream.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }
}
