import { useState } from "preact/hooks";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { num, type Operation } from "../../api";
import { completionNow, confirmComplete, reopen, reopening } from "../../step-model";

/** The statuses the server completes from (takt.production.labour complete_operation). */
const COMPLETES_FROM = ["ready", "running", "paused"];

/** Complete, asking first and saying how much is still unreported. The question belongs to
 * this operation only: the panel keys the button by operation, so scanning another one while
 * it is open closes it. */
export function CompleteButton({ op, mayComplete }: { op: Operation; mayComplete: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!mayComplete || !COMPLETES_FROM.includes(op.status)) return null;
  const c = completionNow.value;
  const short = c !== null && c.remaining > 0;
  return (
    <>
      <Button block variant="secondary" data-testid="op-complete" onClick={() => setAsking(true)}>
        {t("production.complete")}
      </Button>
      {asking && c && (
        <Sheet title={t("step.completeTitle", { code: op.code })} onClose={() => setAsking(false)}>
          <div class="stack" data-testid="complete-question" data-short={short ? "yes" : "no"}>
            <p>{short ? t("step.completeShort", { reported: c.reported, total: c.total, remaining: c.remaining }) : t("step.completeAll", { reported: c.reported })}</p>
            <Button block variant={short ? "danger" : "primary"} data-testid="complete-confirm"
              onClick={() => { setAsking(false); void confirmComplete(); }}>
              {short ? t("step.completeAnyway") : t("production.complete")}
            </Button>
            <Button block variant="secondary" data-testid="complete-cancel" onClick={() => setAsking(false)}>
              {t("step.keepWorking")}
            </Button>
          </div>
        </Sheet>
      )}
    </>
  );
}

/** A supervisor takes a completion back, asked first (what was reported stays; the work
 * order goes back in progress if it had completed): the operation is open for work and
 * reports again. Until the server has answered, it says so (the server decides paused, ready
 * or pending). */
export function ReopenButton({ op, mayReopen }: { op: Operation; mayReopen: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!mayReopen || op.status !== "done") return null;
  if (reopening.value) return <p class="muted" role="status" data-testid="op-reopening">{t("step.reopening")}</p>;
  return (
    <>
      <Button block variant="secondary" data-testid="op-reopen" onClick={() => setAsking(true)}>{t("step.reopen")}</Button>
      {asking && (
        <Sheet title={t("step.reopenTitle", { code: op.code })} onClose={() => setAsking(false)}>
          <div class="stack" data-testid="reopen-question">
            <p>{t("step.reopenQuestion", { good: num(op.good), scrap: num(op.scrap), order: op.work_order ?? "" })}</p>
            <Button block data-testid="reopen-confirm" onClick={() => { setAsking(false); void reopen(); }}>
              {t("step.reopen")}
            </Button>
            <Button block variant="secondary" data-testid="reopen-cancel" onClick={() => setAsking(false)}>
              {t("step.keepDone")}
            </Button>
          </div>
        </Sheet>
      )}
    </>
  );
}
