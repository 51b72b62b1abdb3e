namespace TargetProfileUpdate;

/// <summary>Progress of a bulk upload, reported after each accepted batch and once at the end.</summary>
/// <param name="RowsRead">Rows taken from the source so far (sent, rejected, or waiting in the batch being built).</param>
/// <param name="RowsSent">Rows in batches Adobe Target accepted.</param>
/// <param name="BatchesAccepted">Batches Adobe Target accepted.</param>
/// <param name="BytesSent">Body bytes of the accepted batches.</param>
public sealed record BulkUploadProgress(long RowsRead, long RowsSent, int BatchesAccepted, long BytesSent);
