namespace ResticManager.Testing;

/// <summary>One request of a hostile-input run over the REST API; <see cref="Body"/> null sends none.</summary>
public sealed record HostileRequest(string Operation, string Variant, HttpMethod Method, string PathAndQuery, byte[]? Body, string? ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(PathAndQuery, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }
}
