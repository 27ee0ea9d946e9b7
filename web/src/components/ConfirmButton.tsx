import { useState, type ReactNode } from "react";
import { Button } from "./Button";
import { ConfirmDialog } from "./ConfirmDialog";

interface ConfirmButtonProps {
  /** The button, and the dialog's button that does it, e.g. "Delete backups". */
  label: string;
  /** The dialog's title, e.g. "Delete the source group backups?". */
  question: string;
  /** More words in the dialog (what follows from it). */
  children?: ReactNode;
  /** Runs the action; a thrown error is shown in the dialog, which stays open. */
  onConfirm: () => Promise<unknown>;
}

/** A destructive action behind a button, asked again in a ConfirmDialog. */
export function ConfirmButton({ label, question, children, onConfirm }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant="danger" onClick={() => setAsking(true)}>
        {label}
      </Button>
      {asking && (
        <ConfirmDialog title={question} confirmLabel={label} onConfirm={onConfirm} onClose={() => setAsking(false)}>
          {children}
        </ConfirmDialog>
      )}
    </>
  );
}
