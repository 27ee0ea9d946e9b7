using ResticManager.Notifications;

namespace ResticManager.UnitTests;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("0s", 0, "0s")]
    [InlineData("90s", 90, "1m30s")]
    [InlineData("5m", 300, "5m")]
    [InlineData("1h30m", 5400, "1h30m")]
    [InlineData("2d", 172800, "2d")]
    [InlineData("1d2h3m4s", 93784, "1d2h3m4s")]
    [InlineData("48h", 172800, "2d")]
    public void Whole_units_largest_first_parse_and_format_to_the_shortest_text(string text, long seconds, string formatted)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.Equal(formatted, DurationText.Format(duration!.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5 m")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("5w")]
    [InlineData("00:05:00")]
    [InlineData("9999999999s")]
    [InlineData("999999999d")]
    [InlineData("999999999d23h59m59s")]
    [InlineData("5M")]
    public void Anything_else_is_refused(string text) => Assert.False(DurationText.TryParse(text, out _));
}
