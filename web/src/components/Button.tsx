import type { ButtonHTMLAttributes } from "react";

type Variant = "default" | "primary" | "danger";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  busy?: boolean;
}

/** A button; `busy` disables it and says so to assistive technology while a request runs. */
export function Button({ variant = "default", busy = false, className, disabled, children, type = "button", ...rest }: ButtonProps) {
  const classes = ["btn", variant === "default" ? "" : `btn-${variant}`, className ?? ""].filter(Boolean).join(" ");
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  );
}
