import { PageHeader } from "@/components/PageHeader";
import { canFleetWide, useMe } from "@/lib/auth";
import { ChannelsSection } from "../components/ChannelsSection";
import { HistorySection } from "../components/HistorySection";
import { RulesSection } from "../components/RulesSection";
import "../notifications.css";

const title = "Notifications";

/** Channels, rules and the delivery history: for fleet admins (channels hold secrets; rules cover any host). */
export function NotificationsPage() {
  const me = useMe();
  if (!canFleetWide(me.data, "admin")) {
    return (
      <>
        <PageHeader title={title} />
        <p className="alert tone-info">
          <span aria-hidden="true">ⓘ </span>You need the admin role at every host (*) to manage notifications.
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeader title={title}>
        <p className="muted" style={{ margin: 0 }}>
          Channels say where messages go, rules which events about which hosts go to them; the history shows each delivery and the answer it got.
        </p>
        <nav aria-label="On this page">
          <ul className="row" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            <li>
              <a href="#notification-channels">Channels</a>
            </li>
            <li>
              <a href="#notification-rules">Rules</a>
            </li>
            <li>
              <a href="#notification-history">Delivery history</a>
            </li>
          </ul>
        </nav>
      </PageHeader>
      <div className="notification-sections">
        <ChannelsSection />
        <RulesSection />
        <HistorySection />
      </div>
    </>
  );
}
