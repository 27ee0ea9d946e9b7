namespace ResticManager.Notifications;

public enum DeliveryStatus
{
    /// <summary>Waiting for its first attempt, or for its next one after a retryable failure.</summary>
    Pending,
    Sent,

    /// <summary>Given up: a permanent refusal, or retries exhausted.</summary>
    Failed,
}
