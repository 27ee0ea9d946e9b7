namespace ResticManager.Protocol;

/// <summary>
/// Request/response between a service and one agent over MQTT 5 (see ADR 10). A request goes to
/// <c>…/cmd/query.{kind}</c> with a response topic <see cref="Topics.Reply"/> under the agent's own
/// prefix (so the ACL holds) and correlation data = the UTF-8 query id. The agent answers on that
/// topic with the same correlation data and the user property <see cref="ReplyProperty"/>:
/// <list type="bullet">
/// <item><c>ok</c>: a JSON page (<see cref="TreePage"/>, <see cref="FilePage"/>, <see cref="DiffPage"/>);</item>
/// <item><c>error</c>: a JSON <see cref="QueryError"/>; every failure is answered, never left to time out;</item>
/// <item><c>chunk</c>: raw bytes of a dump, numbered by <see cref="SequenceProperty"/> from 0;</item>
/// <item><c>end</c>: the dump is complete; <see cref="SequenceProperty"/> carries the number of chunks sent.</item>
/// </list>
/// A dump sends at most as many chunks as the requester granted (<see cref="DumpQuery.Window"/>
/// plus every <see cref="QueryCredit"/>), so the agent never runs ahead of the reader.
/// </summary>
public static class AgentQueries
{
    public const string ReplyProperty = "rm-reply";
    public const string SequenceProperty = "rm-seq";

    public const string Ok = "ok";
    public const string Error = "error";
    public const string Chunk = "chunk";
    public const string End = "end";

    /// <summary>Largest raw chunk of a dump; well inside <see cref="WireJson.MaxPayloadBytes"/>.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>Largest page any query answers; a page is also cut short to stay under <see cref="MaxPageBytes"/>.</summary>
    public const int MaxPageItems = 1000;

    public const int MaxPageBytes = 512 * 1024;
}
