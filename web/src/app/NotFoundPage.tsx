import { Link } from "react-router";
import { PageHeader } from "@/components/PageHeader";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing here. <Link to="/">Back to the dashboard</Link>.
      </p>
    </>
  );
}
