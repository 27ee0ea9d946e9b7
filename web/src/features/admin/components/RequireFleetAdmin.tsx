import type { ReactNode } from "react";
import { PageHeader } from "@/components/PageHeader";
import { canFleetWide, useMe } from "@/lib/auth";

/** Users and API tokens are for fleet admins; anyone else who reaches the page by its address is told why. */
export function RequireFleetAdmin({ title, children }: { title: string; children: ReactNode }) {
  const me = useMe();
  if (!canFleetWide(me.data, "admin")) {
    return (
      <>
        <PageHeader title={title} />
        <p className="alert tone-info">
          <span aria-hidden="true">ⓘ </span>You need the admin role at every host (*) to manage {title.toLowerCase()}.
        </p>
      </>
    );
  }
  return <>{children}</>;
}
