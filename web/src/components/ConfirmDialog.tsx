import { useState, type ReactNode } from "react";
import { errorMessage } from "@/api/client";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

interface ConfirmDialogProps {
  title: string;
  /** The button that does it, e.g. "Delete user". */
  confirmLabel: string;
  children: ReactNode;
  /** Runs the action; a thrown error is shown in the dialog, which stays open. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

/** Asks before a destructive action; Cancel has the focus first, so Enter never destroys by accident. */
export function ConfirmDialog({ title, confirmLabel, children, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <div>{children}</div>
      {error !== null && (
        <p className="alert tone-bad" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <div className="row" style={{ justifyContent: "flex-end" }}>
        <Button data-autofocus onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" busy={busy} onClick={confirm}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
