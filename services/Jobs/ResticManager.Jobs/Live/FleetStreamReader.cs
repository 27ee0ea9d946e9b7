using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>A fleet stream's channel as its reader sees it: a slot's token reads as the slot's latest event, an emptied slot not at all.</summary>
sealed class FleetStreamReader(ChannelReader<LiveEvent> channel) : ChannelReader<LiveEvent>
{
    public override Task Completion => channel.Completion;

    public override bool TryRead(out LiveEvent item)
    {
        while (channel.TryRead(out var next))
        {
            if (next.Data is not SupersededSlot slot || next.Type != SupersededSlot.TokenType)
            {
                item = next;
                return true;
            }

            if (slot.Take() is { } latest)
            {
                item = latest;
                return true;
            }
        }

        item = null!;
        return false;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => channel.WaitToReadAsync(cancellationToken);
}
