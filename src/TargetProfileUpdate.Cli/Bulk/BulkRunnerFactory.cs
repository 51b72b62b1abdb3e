using System;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;

namespace TargetProfileUpdate.Cli.Bulk;

/// <summary>
/// Chooses the bulk runner. The SDK on this branch has no <c>IBulkProfileUpdateClient</c> yet (issue 12), so
/// <c>--via bulk</c> and <c>batch-status</c> answer "not available in this build" with exit code 2.
/// To wire it: implement <see cref="IBulkRunner"/> over <c>IBulkProfileUpdateClient</c> (resolved from
/// the <c>services</c> argument) in this file and return it from <see cref="Create"/>:
/// <list type="bullet">
/// <item>ImportAsync: <c>UploadAsync(request.Updates, new BulkUploadOptions { ApiVersion = kind == PcId ? V1 : V2 })</c>;
/// for each batch mark rows <c>RowOfSourceIndex(FirstIndex .. FirstIndex + Rows - 1)</c> accepted; each rejection
/// <c>MarkFailed(RowOfSourceIndex(Index), Reason)</c>; on <c>BulkUploadException</c> take <c>PartialResult</c> the same way and
/// mark the unaccepted index range failed with the exception's message; on <c>BulkUploadCanceledException</c> record the
/// <c>PartialResult</c> and rethrow; with <c>Wait</c>, <c>WaitForCompletionAsync</c> each batch and add its counts to the lines.</item>
/// <item>ShowStatusAsync: <c>GetStatusAsync</c> / <c>WaitForCompletionAsync</c> on a batch made from the URL; print a table.</item>
/// </list>
/// </summary>
internal static class BulkRunnerFactory
{
    public static IBulkRunner Create(IServiceProvider? services) => new UnavailableBulkRunner();

    private sealed class UnavailableBulkRunner : IBulkRunner
    {
        public bool IsAvailable => false;

        public Task<BulkImportOutcome> ImportAsync(BulkImportRequest request, CancellationToken cancellationToken) => throw NotAvailable();

        public Task<int> ShowStatusAsync(Uri statusUrl, bool wait, IAnsiConsole console, CancellationToken cancellationToken) => throw NotAvailable();
    }

    public static UsageException NotAvailable() =>
        new("the Bulk Profile Update API is not available in this build of target-profile; use --via single (nothing was sent).");
}
