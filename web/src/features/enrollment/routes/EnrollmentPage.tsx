import { PageHeader } from "@/components/PageHeader";

export function EnrollmentPage() {
  return <PageHeader title="Enroll a host" />;
}
