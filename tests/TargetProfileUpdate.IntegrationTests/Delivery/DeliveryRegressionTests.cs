using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;

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

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Recheck_SendRefusedForAuthentication_KeepsEveryHeldUpdatePending_AndDeliversThemInOrderOnceTheTokenWorks(int status)
    {
        // A rotated profile token refuses every call of the account: it says nothing about the held updates. Before the fix
        // the re-check treated the 401/403 as permanent and gave up every held update of the id as SendFailed.
        const string Id = "rotated-1";
        await using var h = await HoldingAsync(Id, 3);

        h.Emulator.SeedProfile(thirdPartyId: Id);
        using var gaveUpMetric = h.Collect("target.profile_delivery.gave_up");

        // Pass 1: the existence check (profile call 1) passes; every send after it is refused.
        h.Emulator.BeginScenario();
        h.Emulator.InjectFaults(Enumerable.Range(2, 20).Select(n => EmulatorFault.Status(status).OnCall(n)).ToArray());
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var refused = await h.Worker.RunOnceAsync();

        Assert.Equal((1, 0, 0), (refused.ProfilesChecked, refused.Delivered, refused.GaveUp));
        Assert.Empty(h.GaveUp);
        Assert.Empty(gaveUpMetric.GetMeasurementSnapshot());
        Assert.Equal(3L, (await h.HealthAsync()).Entries.Values.Single().Data["pending.updates"]);

        // Pass 2: the token works again; the three held updates are sent, in the order they were deferred.
        h.Emulator.BeginScenario();
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var delivered = await h.Worker.RunOnceAsync();

        Assert.Equal((3, 0), (delivered.Delivered, delivered.GaveUp));
        Assert.Empty(h.GaveUp);
        Assert.Equal(3, h.UpdatesPerId()[Id]);
        Assert.Equal("gold-2", h.Emulator.FindByThirdPartyId(Id)!.Attributes["tier"].Value);
        Assert.Equal(0L, (await h.HealthAsync()).Entries.Values.Single().Data["pending.updates"]);
    }

    /// <summary>401: a rotated token. 503: Adobe failing for longer than GiveUpAfter. The transient case kept the held updates
    /// past GiveUpAfter for as long as the failures lasted (never given up, against the documented contract); both are now
    /// kept until GiveUpAfter and then given up as SendFailed with the last failure.</summary>
    [Theory]
    [InlineData(401)]
    [InlineData(503)]
    public async Task Recheck_SendRefusedForAuthenticationOrTransiently_GivesUpTheHeldUpdatesOnlyAtGiveUpAfter_AsSendFailed(int status)
    {
        const string Id = "rotated-2";
        await using var h = await HoldingAsync(Id, 2, TimeSpan.FromHours(1));

        h.Emulator.SeedProfile(thirdPartyId: Id);

        // Refused at every pass before GiveUpAfter: kept. The first pass fetches (profile call 1); later ones use the cached
        // answer (ExistenceCacheTtl 1 h on the fake clock), so from then on every profile call is a send.
        for (int pass = 0; pass < 3; pass++)
        {
            h.Emulator.BeginScenario();
            h.Emulator.InjectFaults(Enumerable.Range(pass == 0 ? 2 : 1, 20).Select(n => EmulatorFault.Status(status).OnCall(n)).ToArray());
            h.Time.Advance(TimeSpan.FromMinutes(15));
            var kept = await h.Worker.RunOnceAsync();
            Assert.Equal((0, 0), (kept.Delivered, kept.GaveUp));
            Assert.Equal(2L, (await h.HealthAsync()).Entries.Values.Single().Data["pending.updates"]);
        }

        Assert.Empty(h.GaveUp);

        // Still refused once GiveUpAfter has passed since they were deferred: given up as usual, with the failure.
        h.Emulator.BeginScenario();
        h.Emulator.InjectFaults(Enumerable.Range(1, 20).Select(n => EmulatorFault.Status(status).OnCall(n)).ToArray());
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var last = await h.Worker.RunOnceAsync();

        Assert.Equal(2, last.GaveUp);
        Assert.Equal(2, h.GaveUp.Count);
        Assert.All(h.GaveUp, g =>
        {
            Assert.Equal(UndeliverableReason.SendFailed, g.Reason);
            var ex = Assert.IsAssignableFrom<ProfileApiException>(g.Exception);
            Assert.Equal(status == 401 ? ProfileApiFailureReason.Authentication : ProfileApiFailureReason.HttpError, ex.Reason);
        });
        Assert.False(h.Emulator.FindByThirdPartyId(Id)!.Attributes.ContainsKey("tier"));
        Assert.Equal(0L, (await h.HealthAsync()).Entries.Values.Single().Data["pending.updates"]);
    }

    /// <summary>A harness that defers unknown profiles, re-checks one id at a time, and holds <paramref name="count"/>
    /// updates for <paramref name="id"/> (not yet a profile).</summary>
    private static async Task<DeliveryHarness> HoldingAsync(string id, int count, TimeSpan? giveUpAfter = null)
    {
        var h = await DeliveryHarness.StartAsync(o =>
        {
            o.UnknownProfiles = UnknownProfileHandling.Defer;
            o.RecheckConcurrency = 1;
            o.GiveUpAfter = giveUpAfter ?? o.GiveUpAfter;
        });
        for (int i = 0; i < count; i++)
        {
            var deferred = await h.Client.UpdateAsync(DeliveryHarness.UpdateFor(id, i));
            Assert.Equal(ProfileUpdateDelivery.Deferred, deferred.Delivery);
        }

        return h;
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
