import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import type { Role } from "@/lib/auth";
import { newGrant, type GrantDraft } from "./grants";

interface GrantsEditorProps {
  value: GrantDraft[];
  onChange: (value: GrantDraft[]) => void;
  /** The server's message for a field ("grants", "grants[0].scope"), shown beside it. */
  errorFor?: (field: string) => string | undefined;
  /** The request's field name: "grants". */
  field?: string;
}

const roles: { value: Role; label: string }[] = [
  { value: "viewer", label: "Viewer (read)" },
  { value: "operator", label: "Operator (run, restore, bind)" },
  { value: "admin", label: "Admin (hooks, credentials, users)" },
];

/** Edits a list of grants: a role × a scope (`*` or `label:key=value`); grants add up. */
export function GrantsEditor({ value, onChange, errorFor = () => undefined, field = "grants" }: GrantsEditorProps) {
  const update = (key: number, change: Partial<GrantDraft>) => onChange(value.map((g) => (g.key === key ? { ...g, ...change } : g)));
  const listError = errorFor(field);
  return (
    <fieldset className="grants-editor stack">
      <legend className="field-label">Grants</legend>
      <p className="field-hint" style={{ margin: 0 }}>
        Each grant gives a role on every host (*) or on the hosts carrying one label. The highest role covering a host applies.
      </p>
      {listError && (
        <p className="field-error" role="alert" style={{ margin: 0 }}>
          {listError}
        </p>
      )}
      {value.map((grant, i) => {
        const n = i + 1;
        const scopeError = errorFor(`${field}[${i}].scope`);
        return (
          <fieldset key={grant.key} className="grant-row">
            <legend>Grant {n}</legend>
            <Field label="Role" error={errorFor(`${field}[${i}].role`)}>
              <select value={grant.role} onChange={(e) => update(grant.key, { role: e.target.value as Role })}>
                {roles.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Scope" error={grant.kind === "all" ? scopeError : undefined}>
              <select value={grant.kind} onChange={(e) => update(grant.key, { kind: e.target.value as GrantDraft["kind"] })}>
                <option value="all">Every host (*)</option>
                <option value="label">Hosts with a label</option>
              </select>
            </Field>
            {grant.kind === "label" && (
              <Field label="Label" hint="key=value, e.g. team=db" error={scopeError}>
                <input className="mono" value={grant.label} onChange={(e) => update(grant.key, { label: e.target.value })} placeholder="team=db" />
              </Field>
            )}
            <div className="grant-remove">
              <Button onClick={() => onChange(value.filter((g) => g.key !== grant.key))} aria-label={`Remove grant ${n}`}>
                Remove
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button onClick={() => onChange([...value, newGrant()])}>Add a grant</Button>
      </div>
    </fieldset>
  );
}
