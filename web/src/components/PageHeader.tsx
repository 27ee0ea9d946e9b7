import { useEffect, type ReactNode } from "react";

/** The page's one h1, which also names the browser tab; actions sit beside it. */
export function PageHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · ResticManager`;
  }, [title]);
  return (
    <header className="stack" style={{ marginBottom: "var(--space-4)" }}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>{title}</h1>
        {actions && <div className="row">{actions}</div>}
      </div>
      {children}
    </header>
  );
}
