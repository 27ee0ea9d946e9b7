import { useEffect, useState } from "react";
import type { HostFilters, HostSort, HostStatus } from "../api/queries";

const statuses: HostStatus[] = ["online", "stale", "offline", "pending", "revoked"];
const sorts: { value: HostSort; label: string }[] = [
  { value: "hostname", label: "Hostname A–Z" },
  { value: "-hostname", label: "Hostname Z–A" },
  { value: "status", label: "Status (offline first)" },
  { value: "-lastSeenAt", label: "Last seen, newest first" },
  { value: "lastSeenAt", label: "Last seen, oldest first" },
];

/** What the server takes as a label filter: key=value (the server's HostLabels rule). */
const labelPattern = /^[a-z0-9][a-z0-9._/-]{0,62}=[A-Za-z0-9._-]{0,63}$/;

/** Typing settles for this long before the list is asked again. */
export const searchDelayMs = 300;

/**
 * Search, status, label and sort. Text fields apply after a short pause (one request per pause,
 * not per key); a label that is not key=value is said next to its field instead of being sent.
 */
export function HostToolbar({ filters, onChange }: { filters: HostFilters; onChange: (f: HostFilters) => void }) {
  const [search, setSearch] = useState(filters.search);
  const [label, setLabel] = useState(filters.label);
  const labelValid = label.trim() === "" || labelPattern.test(label.trim());

  useEffect(() => {
    const t = setTimeout(() => {
      const next = { search: search.trim(), label: labelValid ? label.trim() : filters.label };
      if (next.search !== filters.search || next.label !== filters.label) onChange({ ...filters, ...next });
    }, searchDelayMs);
    return () => clearTimeout(t);
  }, [search, label, labelValid, filters, onChange]);

  return (
    <form className="toolbar" role="search" aria-label="Filter hosts" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label className="field-label" htmlFor="host-search">
          Search hosts
        </label>
        <input id="host-search" type="search" value={search} maxLength={253} placeholder="hostname or label" onChange={(e) => setSearch(e.target.value)} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="host-status">
          Status
        </label>
        <select id="host-status" value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value as HostStatus | "" })}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="host-label">
          Label
        </label>
        <input
          id="host-label"
          value={label}
          placeholder="key=value"
          aria-invalid={labelValid ? undefined : true}
          aria-describedby={labelValid ? undefined : "host-label-error"}
          onChange={(e) => setLabel(e.target.value)}
        />
        {!labelValid && (
          <span id="host-label-error" className="field-error">
            A label is key=value, such as team=db
          </span>
        )}
      </div>
      <div className="field">
        <label className="field-label" htmlFor="host-sort">
          Sort
        </label>
        <select id="host-sort" value={filters.sort} onChange={(e) => onChange({ ...filters, sort: e.target.value as HostSort })}>
          {sorts.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
