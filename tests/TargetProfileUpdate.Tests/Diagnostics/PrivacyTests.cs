using System.Net;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Diagnostics;

/// <summary>Runs every outcome with a Trace-level logger on every category (HttpClientFactory's included) and looks for secrets.</summary>
public sealed class PrivacyTests
{
    private const string Id = PersonalData.Id;
    private const string Value = PersonalData.Value;
    private const string Token = PersonalData.Token;

    private static ProfileUpdate Update() => PersonalData.Update();

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
        PersonalData.AssertAbsentFrom(logs.Entries.Select(e => e.Text).Append(ex.ToString()).Append(ex.ResponseBody ?? string.Empty));
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
}
