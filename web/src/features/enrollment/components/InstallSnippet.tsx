import { useId, useRef } from "react";
import { CopyButton } from "@/components/CopyButton";

/** One ready-to-paste snippet, named by its caption ("Linux install snippet"), with a Copy button. */
export function InstallSnippet({ caption, text }: { caption: string; text: string }) {
  const captionId = useId();
  const code = useRef<HTMLElement>(null);
  return (
    <figure className="snippet card" aria-labelledby={captionId}>
      <figcaption className="row" style={{ justifyContent: "space-between" }}>
        <strong id={captionId}>{caption}</strong>
        <CopyButton text={text} what={caption} target={() => code.current} />
      </figcaption>
      <pre tabIndex={0} aria-label={caption}>
        <code ref={code}>{text}</code>
      </pre>
    </figure>
  );
}
