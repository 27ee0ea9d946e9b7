import { useEffect } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api, sessionExpiredEvent, setCsrfToken } from "@/api/client";
import { Button } from "@/components/Button";
import { ErrorState, Loading } from "@/components/States";
import { canFleetWide, useMe } from "@/lib/auth";
import { LiveEventsConnection, liveSessionChanged } from "@/lib/events";
import { ThemeToggle } from "./ThemeToggle";

/** The signed-in frame: header, navigation, the live stream, and the page. */
export function AppLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();

  useEffect(() => {
    const expired = () => {
      queryClient.clear();
      navigate(`/login?returnUrl=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    };
    window.addEventListener(sessionExpiredEvent, expired);
    return () => window.removeEventListener(sessionExpiredEvent, expired);
  }, [navigate, location, queryClient]);

  useEffect(() => {
    if (me.error && "status" in me.error && (me.error as { status: number }).status === 401) {
      navigate(`/login?returnUrl=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
  }, [me.error, navigate, location]);

  const logOut = async () => {
    await api.DELETE("/api/session");
    // The other tabs of this browser are signed out too: their stream closes and they go to the login page.
    liveSessionChanged();
    setCsrfToken(null);
    queryClient.clear();
    navigate("/login", { replace: true });
  };

  if (me.isPending) return <Loading />;
  if (me.isError) return <main className="app-main"><ErrorState error={me.error} onRetry={() => me.refetch()} /></main>;

  const fleetAdmin = canFleetWide(me.data, "admin");
  const fleetOperator = canFleetWide(me.data, "operator");
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/" className="app-brand">
          ResticManager
        </NavLink>
        <nav className="app-nav" aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Dashboard
              </NavLink>
            </li>
            {fleetOperator && (
              <li>
                <NavLink to="/enroll">Enroll a host</NavLink>
              </li>
            )}
            {fleetAdmin && (
              <>
                <li>
                  <NavLink to="/admin/users">Users</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/tokens">API tokens</NavLink>
                </li>
              </>
            )}
            {fleetAdmin && <li><NavLink to="/admin/notifications">Notifications</NavLink></li>}
            <li>
              <NavLink to="/admin/audit">Audit log</NavLink>
            </li>
          </ul>
        </nav>
        <div className="app-user">
          <NavLink to="/account" aria-label={`Your account: ${me.data.name} (${me.data.role})`}>
            {me.data.name} <span className="muted">({me.data.role})</span>
          </NavLink>
          <ThemeToggle />
          <Button onClick={logOut}>Log out</Button>
        </div>
      </header>
      <LiveEventsConnection />
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
