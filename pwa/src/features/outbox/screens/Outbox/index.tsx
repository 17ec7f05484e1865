import { useState } from "preact/hooks";
import { kickOutbox, outboxCommands } from "../../../../app/outbox";
import { formatRecent } from "../../../../app/dates";
import { online } from "../../../../app/network";
import { user } from "../../../../app/session";
import { t } from "../../../../i18n";
import { discard, retry } from "../../../../outbox/outbox";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import type { OutboxCommand } from "../../../../shared/outbox-types";
import "./style.css";

const when = (ms: number): string => formatRecent(ms);

/** Why the last try failed, in the reader's language where it is the device's own words. */
function lastTry(cmd: OutboxCommand): string | null {
  if (!cmd.lastError) return null;
  return cmd.lastError.startsWith("Network error") ? t("outbox.networkError") : cmd.lastError;
}

/** What this device still has to send, and what the server refused and why. Nothing queued
 * here disappears without someone deciding so. */
export function Outbox() {
  const [discarding, setDiscarding] = useState<OutboxCommand | null>(null);
  const all = outboxCommands.value;
  const rejected = all.filter((c) => c.state === "rejected");
  const waiting = all.filter((c) => c.state !== "rejected");
  return (
    <main class="page outbox">
      <h1>{t("outbox.title")}</h1>
      <section>
        <h2>{t("outbox.attention", { count: rejected.length })}</h2>
        {rejected.length === 0 ? <p class="muted">{t("outbox.noAttention")}</p> : (
          <ul class="list" data-testid="needs-attention">
            {rejected.map((c) => (
              <li key={c.id} class="card outbox-item outbox-rejected">
                <strong>{c.label}</strong>
                <p class="error-text" data-testid="rejection-reason">{c.rejection?.detail ?? lastTry(c)}</p>
                <p class="muted">{t("outbox.queuedAt", { time: when(c.createdAt) })}</p>
                <div class="row">
                  <Button variant="secondary" onClick={() => void retry(c.id).then(kickOutbox)}>{t("outbox.retry")}</Button>
                  <Button variant="danger" onClick={() => setDiscarding(c)}>{t("outbox.discard")}</Button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>{t("outbox.waiting", { count: waiting.length })}</h2>
        {!online.value && waiting.length > 0 && <p class="note">{t("outbox.offlineNote")}</p>}
        {waiting.length === 0 ? <p class="muted">{t("outbox.nothingWaiting")}</p> : (
          <ul class="list" data-testid="waiting">
            {waiting.map((c) => (
              <li key={c.id} class="card outbox-item">
                <strong>{c.label}</strong>
                <p class="muted">
                  {t("outbox.queuedAt", { time: when(c.createdAt) })}
                  {c.attempts > 0 && ` · ${t("outbox.attempts", { count: c.attempts })}`}
                  {c.lastError && ` · ${lastTry(c)}`}
                </p>
                {c.userId !== null && c.userId !== user.value?.id && (
                  <p class="note" data-testid="other-user">{t("outbox.otherUser")}</p>
                )}
              </li>
            ))}
          </ul>
        )}
        {waiting.length > 0 && <Button variant="secondary" onClick={kickOutbox}>{t("outbox.sendNow")}</Button>}
      </section>
      {discarding && (
        <Sheet title={t("outbox.discardTitle")} onClose={() => setDiscarding(null)}>
          <p><strong>{discarding.label}</strong></p>
          <p>{t("outbox.discardWarning")}</p>
          <div class="stack">
            <Button variant="danger" block data-testid="confirm-discard"
              onClick={() => { void discard(discarding.id); setDiscarding(null); }}>{t("outbox.discard")}</Button>
            <Button variant="secondary" block onClick={() => setDiscarding(null)}>{t("outbox.keep")}</Button>
          </div>
        </Sheet>
      )}
    </main>
  );
}
