import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import type { Operation } from "../../api";
import { askingComplete, completionNow, confirmComplete, reopen } from "../../step-model";

/** Complete, asking first and saying how much is still unreported; on a done operation, a
 * supervisor's Reopen. */
export function CompleteButton({ op, mayComplete }: { op: Operation; mayComplete: boolean }) {
  if (!mayComplete || !["ready", "running", "paused"].includes(op.status)) return null;
  const c = completionNow.value;
  const short = c !== null && c.remaining > 0;
  return (
    <>
      <Button block variant="secondary" data-testid="op-complete" onClick={() => (askingComplete.value = true)}>
        {t("production.complete")}
      </Button>
      {askingComplete.value && c && (
        <Sheet title={t("step.completeTitle", { code: op.code })} onClose={() => (askingComplete.value = false)}>
          <div class="stack" data-testid="complete-question" data-short={short ? "yes" : "no"}>
            <p>{short ? t("step.completeShort", { reported: c.reported, total: c.total, remaining: c.remaining }) : t("step.completeAll", { reported: c.reported })}</p>
            <Button block variant={short ? "danger" : "primary"} data-testid="complete-confirm" onClick={() => void confirmComplete()}>
              {short ? t("step.completeAnyway") : t("production.complete")}
            </Button>
            <Button block variant="secondary" data-testid="complete-cancel" onClick={() => (askingComplete.value = false)}>
              {t("step.keepWorking")}
            </Button>
          </div>
        </Sheet>
      )}
    </>
  );
}

/** A supervisor takes a completion back: the operation is open for work and reports again. */
export function ReopenButton({ op, mayReopen }: { op: Operation; mayReopen: boolean }) {
  if (!mayReopen || op.status !== "done") return null;
  return (
    <Button block variant="secondary" data-testid="op-reopen" onClick={() => void reopen()}>{t("step.reopen")}</Button>
  );
}
