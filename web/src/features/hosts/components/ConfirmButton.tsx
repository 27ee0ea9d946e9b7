import { useState } from "react";
import { Button } from "@/components/Button";

/** A destructive action asked twice, in the page (no browser dialog), keyboard reachable. */
export function ConfirmButton({ label, question, busy, onConfirm }: { label: string; question: string; busy?: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="danger" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span className="row" role="group" aria-label={question}>
      <span>{question}</span>
      <Button
        variant="danger"
        busy={busy}
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.charAt(0).toLowerCase() + label.slice(1)}
      </Button>
      <Button onClick={() => setAsking(false)}>No</Button>
    </span>
  );
}
