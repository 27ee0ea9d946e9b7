import { useEffect, type RefObject } from "react";
import { ApiError, errorMessage } from "@/api/client";

/**
 * A failed submit in words: a summary when fields were named (their messages sit beside them and the
 * first gets the focus), or the whole message otherwise. The same as the admin feature's; features do
 * not import each other, so the lead may move one copy to src/components.
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
