import { useEffect } from "preact/hooks";
import { navigate } from "../../../../app/router";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { mayDecide } from "../../model";
import { loadLists, negatives, refreshNegatives, submittedCounts } from "../../start";

/** The supervisor's way in: counts waiting for approval and the line-side reconciliation, each
 * with how many things wait there. */
export function SupervisorCountLinks() {
  useEffect(() => {
    if (!mayDecide.value) return;
    void loadLists();
    void refreshNegatives();
  }, []);
  if (!mayDecide.value) return null;
  const waiting = submittedCounts.value.length;
  const negative = negatives.value.length;
  return (
    <div class="row count-links" data-testid="count-links">
      <Button variant={waiting ? "primary" : "secondary"} data-testid="go-counts" onClick={() => navigate("/counts")}>
        {t("count.toApprove", { count: waiting })}
      </Button>
      <Button variant={negative ? "danger" : "secondary"} data-testid="go-reconcile" onClick={() => navigate("/reconcile")}>
        {t("count.reconcileEntry", { count: negative })}
      </Button>
    </div>
  );
}

/** A counter's way in from the operator's home. */
export function CounterCountLink() {
  return (
    <Button variant="secondary" data-testid="go-counts" onClick={() => navigate("/counts")}>{t("count.countsTitle")}</Button>
  );
}
