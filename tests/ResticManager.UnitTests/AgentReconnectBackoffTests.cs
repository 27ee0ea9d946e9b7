using ResticManager.Protocol;

namespace ResticManager.UnitTests;

public sealed class AgentReconnectBackoffTests
{
    const int Samples = 2000;

    [Fact]
    public void Each_delay_is_drawn_from_zero_to_a_ceiling_that_doubles_up_to_the_cap()
    {
        var random = new Random(42);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var ceiling = Math.Min(10, Math.Pow(2, attempt));
            var delays = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), random);
                for (var skipped = 0; skipped < attempt; skipped++)
                {
                    backoff.Next();
                }

                delays.Add(backoff.Next().TotalSeconds);
            }

            // Full jitter: anywhere in [0, ceiling], spread over all of it (mean about half the ceiling).
            Assert.All(delays, d => Assert.InRange(d, 0, ceiling));
            Assert.InRange(delays.Min(), 0, ceiling * 0.01);
            Assert.InRange(delays.Max(), ceiling * 0.99, ceiling);
            Assert.InRange(delays.Average(), ceiling * 0.45, ceiling * 0.55);
        }
    }

    [Fact]
    public void A_long_outage_never_waits_past_the_cap_and_a_reset_starts_over()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), new Random(7));
        Assert.All(Enumerable.Range(0, 200).Select(_ => backoff.Next().TotalSeconds), d => Assert.InRange(d, 0, 10));

        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0, 1);
    }

    [Theory]
    [InlineData(10, 60, 120)]
    [InlineData(90, 90, 180)]
    public void A_lasting_refusal_waits_a_minute_or_more(double capSeconds, double shortest, double longest)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(capSeconds), new Random(3));
        var waits = Enumerable.Range(0, Samples).Select(_ => backoff.Longest().TotalSeconds).ToList();

        Assert.All(waits, w => Assert.InRange(w, shortest, longest));
        Assert.True(waits.Distinct().Count() > Samples / 2, "refused agents do not line up");
        Assert.InRange(backoff.Next().TotalSeconds, 0, capSeconds);
    }
}
