using System.Net;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Diagnostics;

/// <summary>Runs every outcome with a Trace-level logger on every category (HttpClientFactory's included) and looks for secrets.</summary>
public sealed class PrivacyTests
{
    private const string Id = "jane.doe-7731@example.com";
    private const string Value = "Platinum Card Holder";
    private const string Token = "tok-SECRET-0123456789";

    private static ProfileUpdate Update() => ProfileUpdate.ForThirdPartyId(Id).Set("segment", Value);

    [Fact]
    public async Task Logs_AcrossSuccessRetryAndFailure_NeverContainIdsValuesOrToken()
    {
        var logs = new CapturingLoggerProvider();
        var handler = new RecordingHandler()
            .Then(RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy " + Id))
            .Then(RecordingHandler.Ok())
            .Then(RecordingHandler.Text(HttpStatusCode.BadRequest, "bad request for " + Id + " " + Value));
        var (client, _, _) = TestClients.Create(o => { o.AuthorizationToken = Token; o.Method = ProfileUpdateMethod.Auto; }, handler, loggerProvider: logs);

        await client.UpdateAsync(Update());
        var ex = await Assert.ThrowsAsync<ProfileUpdateException>(() => client.UpdateAsync(Update()));

        Assert.Contains(logs.Entries, e => e.EventId.Name == "ProfileUpdateSending" && e.Level == LogLevel.Debug);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "ProfileUpdateRetrying" && e.Level == LogLevel.Debug);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "ProfileUpdateFailed" && e.Level == LogLevel.Warning);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.EventId.Name == "ProfileUpdateRetrying");
        foreach (var secret in Secrets())
        {
            Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, ex.ResponseBody ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Logs_OfATooLargeUpdate_NeverContainTheValue()
    {
        var logs = new CapturingLoggerProvider();
        var (client, _, _) = TestClients.Create(o => o.MaxPostRequestBytes = 10, loggerProvider: logs);
        var update = ProfileUpdate.ForThirdPartyId(Id).Set("segment", Value + new string('x', 9000));

        var ex = await Assert.ThrowsAsync<ProfileUpdateTooLargeException>(() => client.UpdateAsync(update));

        Assert.Contains(logs.Entries, e => e.EventId.Name == "ProfileUpdateTooLarge");
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(Id, StringComparison.Ordinal) || e.Text.Contains(Value, StringComparison.Ordinal));
        Assert.DoesNotContain(Id, ex.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Secrets() => [Id, Uri.EscapeDataString(Id), Value, Uri.EscapeDataString(Value), Token, "mbox3rdPartyId="];
}
