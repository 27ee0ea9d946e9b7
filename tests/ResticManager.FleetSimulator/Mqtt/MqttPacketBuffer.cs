using System.Buffers;

namespace ResticManager.FleetSimulator.Mqtt;

/// <summary>An encoded packet in a buffer rented from the shared pool; disposing returns the buffer, once.</summary>
public readonly struct MqttPacketBuffer(byte[] array, int length) : IDisposable
{
    public int Length => length;

    public ReadOnlyMemory<byte> Memory => array.AsMemory(0, length);

    public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

    public byte[] ToArray() => Span.ToArray();

    public void Dispose()
    {
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
