/**
 * The shared worker that holds this browser's one event stream when the page has no Web Locks (a
 * plain-HTTP address): see startLiveHub in ./liveConnection.ts. Started by src/lib/events.ts.
 */
import { sessionEndedByServer, startLiveHub } from "./liveConnection";

const hub = startLiveHub({ EventSource, sessionEnded: sessionEndedByServer });

// The app's types are the page's (DOM lib); a SharedWorkerGlobalScope gets a port per connecting tab.
(self as unknown as { onconnect: ((event: MessageEvent) => void) | null }).onconnect = (event) => {
  const port = event.ports[0];
  if (port) hub.connect(port);
};
