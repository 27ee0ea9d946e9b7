import { useEffect, type RefObject } from "react";
import { ApiError, errorMessage } from "@/api/client";

/**
 * A failed submit in words: a summary when the server named fields (their messages sit beside them and
 * the first gets the focus), or the whole message (a 409 "last admin", a lost connection) otherwise.
 */
export function FormProblem({ error, form }: { error: unknown; form: RefObject<HTMLFormElement | null> }) {
  const fields = error instanceof ApiError && error.problem.errors && Object.keys(error.problem.errors).length > 0;
  useEffect(() => {
    if (error && fields) {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [error, fields, form]);
  if (!error) return null;
  return (
    <p className="alert tone-bad" role="alert" style={{ margin: 0 }}>
      <span aria-hidden="true">✕ </span>
      {fields ? "Not saved: check the fields marked below." : errorMessage(error)}
    </p>
  );
}
