using ResticManager.FleetSimulator.Mqtt;

namespace ResticManager.UnitTests.FleetSimulator;

public sealed class VariableByteIntegerTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(2_097_151, new byte[] { 0xFF, 0xFF, 0x7F })]
    [InlineData(2_097_152, new byte[] { 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(268_435_455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Each_size_boundary_encodes_as_the_specification_lists_it_and_reads_back(int value, byte[] expected)
    {
        var buffer = new byte[4];
        var written = VariableByteInteger.Write(buffer, value);

        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, VariableByteInteger.Size(value));
        Assert.True(VariableByteInteger.TryRead(buffer.AsSpan(0, written), out var read, out var consumed));
        Assert.Equal(value, read);
        Assert.Equal(written, consumed);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void A_value_outside_four_bytes_cannot_be_written(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VariableByteInteger.Write(new byte[8], value));

    [Fact]
    public void A_buffer_that_ends_inside_the_integer_asks_for_more()
    {
        Assert.False(VariableByteInteger.TryRead([0x80, 0x80], out _, out var consumed));
        Assert.Equal(0, consumed);
        Assert.False(VariableByteInteger.TryRead([], out _, out _));
    }

    [Fact]
    public void A_fifth_continuation_byte_is_malformed() =>
        Assert.Throws<InvalidDataException>(() => VariableByteInteger.TryRead([0xFF, 0xFF, 0xFF, 0xFF, 0x01], out _, out _));
}
