using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Bulk;

/// <summary>
/// The request body of one bulk batch: <c>application/x-www-form-urlencoded</c>, the exact length known in advance
/// (so it goes out with <c>Content-Length</c>, not chunked), re-sendable, over the batch's pooled memory.
/// </summary>
internal sealed class BulkBatchContent : HttpContent
{
    private readonly EncodedBatch _batch;

    public BulkBatchContent(EncodedBatch batch)
    {
        _batch = batch;
        Headers.TryAddWithoutValidation("Content-Type", BulkCsvEncoder.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _batch.WriteToAsync(stream, cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _batch.WriteTo(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = _batch.Length;
        return true;
    }
}
