import { useEffect } from "preact/hooks";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate } from "../../../../app/router";
import { t } from "../../../../i18n";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { claimScans } from "../../../../scan/router";
import { Button } from "../../../../ui/Button";
import { mayCount, mayDecide } from "../../model";
import { CountList, StartCard } from "../../parts";
import {
  chooseLocation, listsError, listsSavedAt, loadLists, onStartSettled, openCounts, startLocation, startScan, submittedCounts,
} from "../../start";

/** Cycle counts: scan a location label to count it; the counts being counted, and those waiting
 * for a supervisor (first, for a supervisor). Opened with a location (/counts/LOC) from that
 * location's page or the line-side reconciliation. */
export function CountsPage({ location }: { location: string | null }) {
  useEffect(() => {
    startLocation.value = null;
    if (location) void chooseLocation(location);
    void loadLists();
    const stopSettled = onCommandSettled((cmd, answer) => {
      onStartSettled(cmd, answer);
      if (cmd.path.startsWith("/api/v1/counts")) void loadLists();
    });
    const release = claimScans((parsed) => {
      const verdict = mayCount.value ? startScan(parsed) : null;
      if (!verdict) return false;
      (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    });
    return () => { stopSettled(); release(); };
  }, [location]);

  const toApprove = (
    <>
      <h2>{t("count.waitingApproval")}</h2>
      <CountList rows={submittedCounts.value} testId="counts-submitted" empty={t("count.noneWaiting")} />
    </>
  );
  return (
    <main class="page count" data-testid="counts">
      <h1>{t("count.countsTitle")}</h1>
      {listsSavedAt.value !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {listsError.value && <p class="error-text" role="alert">{listsError.value}</p>}
      {mayDecide.value && toApprove}
      {mayCount.value && !startLocation.value && <p class="count-start-title" data-testid="count-scan-location">{t("count.scanLocation")}</p>}
      <StartCard />
      <h2>{t("count.beingCounted")}</h2>
      <CountList rows={openCounts.value} testId="counts-open" empty={t("count.noneOpen")} />
      {!mayDecide.value && toApprove}
      {mayDecide.value && (
        <Button block variant="secondary" data-testid="go-reconcile" onClick={() => navigate("/reconcile")}>{t("count.reconcileTitle")}</Button>
      )}
    </main>
  );
}
