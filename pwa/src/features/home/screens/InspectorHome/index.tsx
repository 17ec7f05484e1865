import { useEffect } from "preact/hooks";
import { formatRecent } from "../../../../app/dates";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { originText } from "../../../stock/parts";
import type { LotRow, Page } from "../../api";
import { blockedLots, pendingLots, reloadSoon } from "../../model";

/** One lot of the worklist: its code and item, where it came from and when; a tap opens the
 * lot's page, where release and block are. */
function LotItem({ lot }: { lot: LotRow }) {
  const path = recordPath("LOT", lot.code);
  return (
    <li>
      <a class="list-item inspect-lot" href={path} data-testid="inspect-lot" data-lot={lot.code}
        data-status={lot.quality_status}
        onClick={(e) => { e.preventDefault(); navigate(path); }}>
        <span>
          <strong>{lot.code}</strong> · {lot.item_code} {lot.item_name}<br />
          <span class="muted">
            {[lot.supplier_code, `${originText(lot.origin)} ${formatRecent(lot.created_at)}`].filter(Boolean).join(" · ")}
          </span>
        </span>
      </a>
    </li>
  );
}

function LotList({ page, testId, empty }: { page: Page<LotRow> | null; testId: string; empty: string }) {
  if (!page) return null;
  if (!page.data.length) return <p class="muted" data-testid={`${testId}-empty`}>{empty}</p>;
  return (
    <>
      <ul class="list" data-testid={testId}>
        {page.data.map((lot) => <LotItem key={lot.code} lot={lot} />)}
      </ul>
      {page.total > page.data.length && (
        <p class="muted">{t("home.newestOf", { shown: page.data.length, total: page.total })}</p>
      )}
    </>
  );
}

/** The inspector's worklist: lots awaiting inspection, newest first, then the lots blocked. */
export function InspectorHome() {
  // A release or block sent from this device changes the lists once the server has it.
  useEffect(() => onCommandSettled((cmd) => { if (cmd.recordKey.startsWith("LOT:")) reloadSoon("inspector"); }), []);
  const pending = pendingLots.value;
  const blocked = blockedLots.value;
  return (
    <section>
      <h1>{t("home.worklist")}</h1>
      <p class="muted">{t("home.scanToLook")}</p>
      <h2>{t("home.awaitingInspection", { count: pending?.total ?? "…" })}</h2>
      <LotList page={pending} testId="pending-lots" empty={t("home.nothingToInspect")} />
      <h2>{t("home.blockedLots", { count: blocked?.total ?? "…" })}</h2>
      <LotList page={blocked} testId="blocked-lots" empty={t("home.nothingBlocked")} />
    </section>
  );
}
