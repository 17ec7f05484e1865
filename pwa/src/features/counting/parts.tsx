// Pieces the counting screens share: a count's status, a list of counts, and the card that
// starts a count of the chosen location (blind or not).
import { formatDateTime } from "../../app/dates";
import { navigate } from "../../app/router";
import { t } from "../../i18n";
import { Button } from "../../ui/Button";
import type { CountRow } from "./api";
import { mayCount } from "./model";
import {
  blind, countPagePath, dismissStart, inProgressHere, startCount, starting, startLocation, startWaiting,
} from "./start";
import "./parts.css";

const TONE: Record<string, string> = { open: "info", submitted: "warn", approved: "good", rejected: "idle" };

/** A count's status by colour and word. */
export function CountChip({ status }: { status: string }) {
  return <span class={`chip chip-${TONE[status] ?? "info"}`} data-testid="count-status" data-status={status}>{t(`status.count.${status}`)}</span>;
}

export function CountList({ rows, testId, empty }: { rows: CountRow[]; testId: string; empty: string }) {
  if (!rows.length) return <p class="muted" data-testid={`${testId}-empty`}>{empty}</p>;
  return (
    <ul class="list" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.code}>
          <a class="list-item count-row" href={countPagePath(r.code)} data-testid={`count-row-${r.code}`}
            onClick={(e) => { e.preventDefault(); navigate(countPagePath(r.code)); }}>
            <span><strong>{r.code}</strong> · {r.location_code}{r.blind ? ` · ${t("count.blind")}` : ""}<br />
              <span class="muted">{t("count.startedBy", { who: r.created_by, at: formatDateTime(r.created_at) })}</span>
            </span>
            <CountChip status={r.status} />
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Start counting the chosen location: blind or not; a count already running there is offered
 * instead of a second one (the server allows one at a time). */
export function StartCard() {
  const location = startLocation.value;
  if (!location) return null;
  const s = starting.value?.location === location ? starting.value : null;
  const busy = inProgressHere.value;
  return (
    <section class="card stack count-start" data-testid="count-start" data-location={location}>
      <p class="count-start-title">{t("count.countLocation", { location })}</p>
      {busy.map((r) => (
        <p key={r.code}>
          {t("count.alreadyCounting", { code: r.code })}{" "}
          <a href={countPagePath(r.code)} data-testid="count-continue" onClick={(e) => {
            e.preventDefault();
            if (s?.state === "refused") void dismissStart(); // read: it leaves the outbox
            navigate(countPagePath(r.code));
          }}>{r.status === "open" ? t("count.continue") : t("count.open")}</a>
        </p>
      ))}
      {s?.state === "refused" && (
        <div class="count-refusal" role="alert" data-testid="count-start-refused">
          <p>{s.detail}</p>
          <Button variant="secondary" onClick={() => void dismissStart()}>{t("ui.ok")}</Button>
        </div>
      )}
      {s?.state === "waiting" && (
        <p class="note" data-testid="count-start-waiting">{startWaiting(s) ? t("count.startWaiting") : t("ui.loading")}</p>
      )}
      {mayCount.value && !busy.length && (
        <>
          <label class="count-blind">
            <input type="checkbox" checked={blind.value} data-testid="count-blind"
              onChange={(e) => (blind.value = e.currentTarget.checked)} />
            <span>{t("count.blindOption")}<br /><span class="muted">{t("count.blindHint")}</span></span>
          </label>
          <Button block data-testid="count-start-button" disabled={s?.state === "waiting"} onClick={() => void startCount()}>
            {blind.value ? t("count.startBlind") : t("count.start")}
          </Button>
        </>
      )}
    </section>
  );
}
