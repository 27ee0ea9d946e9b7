import { useRef, useState } from "react";
import { Button } from "./Button";

interface CopyButtonProps {
  text: string;
  /** What is copied, for the button's name: "Copy Linux install snippet". */
  what: string;
  /** The element showing the text, selected when the clipboard is not available. */
  target?: () => HTMLElement | null;
}

/**
 * Copies to the clipboard and says so ("Copied") in a live region. Without clipboard access (plain
 * http on another host, a refused permission) it selects the text so Ctrl+C copies it.
 */
export function CopyButton({ text, what, target }: CopyButtonProps) {
  const [message, setMessage] = useState("");
  const timer = useRef<number | undefined>(undefined);
  const say = (m: string) => {
    setMessage(m);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMessage(""), 4000);
  };
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      say("Copied");
    } catch {
      const element = target?.();
      if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
        element.focus();
        element.select();
      } else if (element) {
        const range = document.createRange();
        range.selectNodeContents(element);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      say("Selected: press Ctrl+C to copy");
    }
  };
  return (
    <span className="row">
      <Button onClick={copy} aria-label={`Copy ${what}`}>
        Copy
      </Button>
      <span role="status" aria-live="polite" className="muted">
        {message}
      </span>
    </span>
  );
}
