import { useEffect, useId, useRef, type ReactNode } from "react";
import "./Dialog.css";

interface DialogProps {
  title: string;
  /** Called when the dialog closes by Escape or its Close button; the parent unmounts it. */
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>` and `showModal()`: the browser traps focus inside, makes the
 * page behind inert and closes on Escape. Focus goes back to what opened it when it closes.
 */
export function Dialog({ title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // jsdom has no showModal; an open attribute shows the same content to component tests.
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    // showModal focuses the first focusable element (the Close button); the first field, or the
    // element marked data-autofocus (Cancel in a confirmation), is where the user starts.
    dialog.querySelector<HTMLElement>("[data-autofocus], input:not([type=hidden]):not([disabled]), select, textarea")?.focus();
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", cancel);
    return () => {
      dialog.removeEventListener("cancel", cancel);
      if (typeof dialog.close === "function" && dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId}>
      <div className="row" style={{ justifyContent: "space-between", flexWrap: "nowrap" }}>
        <h2 id={titleId} style={{ margin: 0 }}>
          {title}
        </h2>
        <button type="button" className="btn" onClick={() => onCloseRef.current()} aria-label={`Close ${title}`}>
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="stack" style={{ marginTop: "var(--space-3)" }}>
        {children}
      </div>
    </dialog>
  );
}
