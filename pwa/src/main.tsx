// Boot: language, the app, and (in production builds) the service worker and the outbox.
import { computed } from "@preact/signals";
import { render } from "preact";
import { App } from "./app/App";
import { loadClientConfig } from "./app/config";
import { reconnectLiveNow, startLive, stopLive } from "./app/live";
import { online } from "./app/network";
import { kickOutbox, startOutbox } from "./app/outbox";
import { followSignedInUser } from "./app/push";
import { expire, refreshSession, startIdleSignOut, user } from "./app/session";
import { requestPersistentStorage } from "./app/storage";
import { registerServiceWorker } from "./app/update";
import { locale } from "./i18n";

document.documentElement.lang = locale.value;
render(<App />, document.getElementById("app")!);
registerServiceWorker();

startOutbox(expire);
startIdleSignOut();
void loadClientConfig();
void refreshSession();

// The websocket and this device's push subscription belong to whoever is signed in: a new
// person gets a new connection, and the subscription moves to them.
const signedInId = computed(() => user.value?.id ?? null);
signedInId.subscribe((id) => {
  stopLive();
  void followSignedInUser(id);
  if (id !== null) {
    startLive(expire);
    kickOutbox();
    void requestPersistentStorage();
  }
});
online.subscribe((isOnline) => {
  if (isOnline) reconnectLiveNow();
});
