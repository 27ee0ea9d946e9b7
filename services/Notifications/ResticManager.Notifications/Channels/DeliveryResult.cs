namespace ResticManager.Notifications;

/// <summary>
/// A channel's answer to one attempt. <see cref="Answer"/> is kept in the delivery history (status and a
/// bounded excerpt of the body, never a secret); <see cref="Retryable"/> false gives up at once (a 4xx
/// other than 408/429, a refused address); <see cref="RetryAfter"/> carries a 429's Retry-After.
/// </summary>
public sealed record DeliveryResult(bool Delivered, bool Retryable, string Answer, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Ok(string answer) => new(true, false, answer);

    public static DeliveryResult Retry(string answer, TimeSpan? retryAfter = null) => new(false, true, answer, retryAfter);

    public static DeliveryResult GiveUp(string answer) => new(false, false, answer);
}
