import { ApiError } from "@/api/client";
import { Button } from "@/components/Button";
import { ErrorState } from "@/components/States";

/**
 * A failed question to the host's agent, said in words: offline (503 "Host offline"), busy or no
 * broker (other 503s, worth a retry), no answer in time (504), or any other problem (restic's own
 * message on 502).
 */
export function AgentQueryError({ error, onRetry, what = "browsing" }: { error: unknown; onRetry?: () => void; what?: string }) {
  if (error instanceof ApiError && (error.status === 503 || error.status === 504)) {
    const text =
      error.status === 504
        ? "The agent did not answer in time; try again."
        : error.problem.title === "Host offline"
          ? `The agent is offline; ${what} needs it online.`
          : `The agent cannot answer right now (${error.problem.detail ?? error.problem.title}); try again in a moment.`;
    return (
      <div className="alert tone-warn" role="alert">
        <p>
          <span aria-hidden="true">! </span>
          {text}
        </p>
        {onRetry && <Button onClick={onRetry}>Try again</Button>}
      </div>
    );
  }
  return <ErrorState error={error} onRetry={onRetry} />;
}
