import { t } from "../../i18n";
import { liveState } from "../live";
import { online } from "../network";
import { attentionCount, waitingCount } from "../outbox";
import { navigate } from "../router";
import { user } from "../session";
import "./style.css";

/** Title, connection state, outbox count and the way to settings: always in view. */
export function TopBar() {
  const live = !online.value ? "offline" : liveState.value;
  const waiting = waitingCount.value;
  const attention = attentionCount.value;
  return (
    <header class="topbar">
      <a class="topbar-home" href="/" onClick={(e) => { e.preventDefault(); navigate("/"); }}>
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        <span>Takt</span>
      </a>
      <span class={`topbar-conn conn-${live}`} data-testid="connection" data-state={live}
        title={t(`conn.${live}`)}>
        <span class="conn-dot" aria-hidden="true" /> <span class="conn-label">{t(`conn.${live}`)}</span>
      </span>
      <a class={`topbar-outbox${attention ? " has-attention" : ""}`} href="/outbox" data-testid="outbox-badge"
        data-waiting={waiting} data-attention={attention}
        onClick={(e) => { e.preventDefault(); navigate("/outbox"); }}
        aria-label={t("outbox.badge", { waiting, attention })}>
        <span aria-hidden="true">⇅</span> {waiting}{attention ? <strong> · {attention}!</strong> : null}
      </a>
      {user.value && (
        <a class="topbar-user" href="/settings" onClick={(e) => { e.preventDefault(); navigate("/settings"); }}>
          {user.value.display_name || user.value.username}
        </a>
      )}
    </header>
  );
}
