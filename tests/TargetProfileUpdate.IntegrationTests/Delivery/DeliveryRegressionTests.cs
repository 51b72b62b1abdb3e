using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.IntegrationTests.Delivery;

/// <summary>Regressions of delivery assurance found by probing it as a user would, each against the emulator on a fake clock.</summary>
public sealed class DeliveryRegressionTests
{
    [Fact]
    public async Task Defer_StrictLinting_UpdateWithReservedNameForUnknownProfile_IsRefusedAtOnce_NotHeld()
    {
        await using var h = await DeliveryHarness.StartAsync(
            o => o.UnknownProfiles = UnknownProfileHandling.Defer,
            sdkOptions: o => o.Linting = ProfileLintMode.Strict);

        // The same update for an existing profile is refused before sending; for an unknown one it must be refused too,
        // not answered "Deferred" and held for a send that can never happen.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("newcomer-7").Set("sessionCount", 3)));

        Assert.Contains("sessionCount", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("newcomer", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, (await h.HealthAsync()).Entries.Values.Single().Data["pending.updates"]);
        Assert.Equal(0, h.FetchRequests());
    }

    [Fact]
    public async Task Recheck_HeldUpdateThePlainClientRefusesLocally_IsGivenUpAsSendFailed_AndTheOtherIdsAreDelivered()
    {
        // Held by an earlier deployment whose linting only warned (a persistent store, such as Redis, keeps it across the
        // restart); this deployment runs Linting = Strict, so the plain client refuses it with an ArgumentException.
        var store = new ListDeliveryStore();
        await store.AddAsync(new PendingProfileUpdate(ProfileUpdate.ForThirdPartyId("poison").Set("sessionCount", 3), DeliveryHarness.Start), DeliveryHarness.Start);
        for (int i = 0; i < 20; i++)
        {
            string id = DeliveryHarness.Id("fine", i);
            await store.AddAsync(new PendingProfileUpdate(DeliveryHarness.UpdateFor(id, i), DeliveryHarness.Start), DeliveryHarness.Start);
        }

        await using var h = await DeliveryHarness.StartAsync(
            o =>
            {
                o.UnknownProfiles = UnknownProfileHandling.Defer;
                o.RecheckConcurrency = 1;
            },
            sdkOptions: o => o.Linting = ProfileLintMode.Strict,
            builder: b => b.Services.AddKeyedSingleton<IProfileDeliveryStore>(b.Name, store));
        h.Emulator.SeedProfile(thirdPartyId: "poison");
        for (int i = 0; i < 20; i++)
        {
            h.Emulator.SeedProfile(thirdPartyId: DeliveryHarness.Id("fine", i));
        }

        h.Time.Advance(TimeSpan.FromMinutes(15));
        var pass = await h.Worker.RunOnceAsync();

        Assert.Equal((21, 20, 1), (pass.ProfilesChecked, pass.Delivered, pass.GaveUp));
        var gaveUp = Assert.Single(h.GaveUp);
        Assert.Equal(UndeliverableReason.SendFailed, gaveUp.Reason);
        Assert.IsType<ArgumentException>(gaveUp.Exception);
        Assert.Equal(20, h.UpdatesPerId().Count);
        Assert.Equal(0, store.Count);
    }

    /// <summary>A minimal store of the public contract, shared across "deployments" as a persistent store would be.</summary>
    private sealed class ListDeliveryStore : IProfileDeliveryStore
    {
        private readonly object _gate = new();
        private readonly List<Entry> _entries = [];
        private int _tokens;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Sum(e => e.Updates.Count);
                }
            }
        }

        public Task<bool> AppendIfPendingAsync(PendingProfileUpdate update, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var entry = _entries.Find(e => e.Id == update.Id);
                entry?.Updates.Add(update);
                return Task.FromResult(entry is not null);
            }
        }

        public Task AddAsync(PendingProfileUpdate update, DateTimeOffset checkAt, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var entry = _entries.Find(e => e.Id == update.Id);
                if (entry is null)
                {
                    entry = new Entry(update.Id) { Due = checkAt };
                    _entries.Add(entry);
                }

                entry.Updates.Add(update);
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<PendingProfileClaim>> ClaimDueAsync(DateTimeOffset now, int maxProfiles, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var claims = new List<PendingProfileClaim>();
                foreach (var entry in _entries.Where(e => e.Token is null && e.Due <= now && e.Updates.Count > 0).Take(maxProfiles))
                {
                    entry.Token = (++_tokens).ToString(CultureInfo.InvariantCulture);
                    claims.Add(new PendingProfileClaim(entry.Id, [.. entry.Updates], entry.Token));
                }

                return Task.FromResult<IReadOnlyList<PendingProfileClaim>>(claims);
            }
        }

        public Task<bool> RemoveAsync(PendingProfileClaim claim, int count, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var entry = _entries.Find(e => e.Id == claim.Id && e.Token == claim.Token);
                entry?.Updates.RemoveRange(0, Math.Min(count, entry.Updates.Count));
                return Task.FromResult(entry is not null);
            }
        }

        public Task ReleaseAsync(PendingProfileClaim claim, DateTimeOffset checkAt, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var entry = _entries.Find(e => e.Id == claim.Id && e.Token == claim.Token);
                if (entry is not null)
                {
                    entry.Token = null;
                    entry.Due = checkAt;
                    if (entry.Updates.Count == 0)
                    {
                        _entries.Remove(entry);
                    }
                }
            }

            return Task.CompletedTask;
        }

        public Task<ProfileDeliveryStoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var heads = _entries.Where(e => e.Updates.Count > 0).Select(e => (DateTimeOffset?)e.Updates[0].DeferredAt);
                return Task.FromResult(new ProfileDeliveryStoreStatistics(_entries.Sum(e => e.Updates.Count), heads.Min()));
            }
        }

        private sealed class Entry(ProfileId id)
        {
            public ProfileId Id { get; } = id;

            public List<PendingProfileUpdate> Updates { get; } = [];

            public DateTimeOffset Due { get; set; }

            public string? Token { get; set; }
        }
    }
}
