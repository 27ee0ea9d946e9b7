import { PageHeader } from "@/components/PageHeader";

export function HostPage() {
  return <PageHeader title="Host" />;
}
