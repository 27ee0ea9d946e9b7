using MimeKit;

namespace ResticManager.Testing;

/// <summary>
/// One message <see cref="SmtpTestServer"/> accepted: its headers and text body, the envelope, whether
/// STARTTLS secured the session before MAIL FROM, and the user that logged in (null without a login).
/// </summary>
public sealed record ReceivedMail(
    string Subject,
    string From,
    IReadOnlyList<string> To,
    string TextBody,
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    bool SecuredBeforeMailFrom,
    string? User,
    MimeMessage Message);
