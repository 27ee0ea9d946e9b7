using Microsoft.AspNetCore.Http;

namespace ResticManager.ServiceDefaults;

public static class AuditNotes
{
    /// <summary>This request's <see cref="AuditNote"/>, made on first use.</summary>
    public static AuditNote AuditNote(this HttpContext http)
    {
        var note = http.Features.Get<AuditNote>();
        if (note is null)
        {
            note = new AuditNote();
            http.Features.Set(note);
        }

        return note;
    }
}
