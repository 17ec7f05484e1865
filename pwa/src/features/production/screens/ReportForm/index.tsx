import { useEffect, useRef, useState } from "preact/hooks";
import { unitDecimals } from "../../../../app/units";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { Stepper } from "../../../../ui/Stepper";
import { num, type Operation } from "../../api";
import { good, rework, scrap, scrapReason } from "../../model";
import { splitReasons } from "../../report";
import {
  available, canSend, closeReporting, goodMax, goodTouched, lastSent, openReporting, pickReason, prefill, rankedReasons,
  scrapMax, sendReport, setGood, setScrap, toldOf,
} from "../../reporting";
import { station } from "../../station";
import { ReportConfirmation, UndoSheet } from "../ReportHistory";
import "./style.css";

/** The work report on the handheld: good prefilled with what operators report most (one
 * container, or the rest available), scrap with the line's most used reasons as buttons, Send;
 * then a confirmation in view with the new totals and an undo. */
export function ReportForm({ op }: { op: Operation }) {
  const [choosingOther, setChoosingOther] = useState(false);
  const [undoing, setUndoing] = useState<number | null>(null);
  const confirmation = useRef<HTMLDivElement>(null);
  const send = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void openReporting(op.id, op.line);
    return () => closeReporting();
  }, [op.id, op.line]);
  // Opened by a scan or a tap in the queue, ready to report: Send comes onto the screen,
  // scrolled only as far as that needs, so the header and the step's instructions stay above.
  // Again once the step's material has arrived (its cards push Send down).
  const stationRead = station.value?.operation_id === op.id;
  useEffect(() => {
    if (available.value > 0) send.current?.scrollIntoView({ block: "nearest" });
  }, [op.id, stationRead]);

  // A refused report is told once, by the operation's refusal card (its sentence, Discard).
  const sentHere = toldOf(lastSent.value, op.id);
  // The confirmation comes into view when a report is sent (the form may sit below the fold).
  useEffect(() => {
    if (sentHere) confirmation.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [sentHere?.commandId]);

  const decimals = unitDecimals(op.unit);
  const { top, other } = splitReasons(rankedReasons.value, scrapReason.value);
  const container = op.container_quantity === null || op.container_quantity === undefined ? 0 : num(op.container_quantity);
  const nothing = available.value <= 0;
  // Nothing to report and nothing to confirm: the panel says why under its figures.
  if (nothing && !sentHere) return null;
  return (
    <form class="card op-report" data-testid="report-form" onSubmit={(e) => { e.preventDefault(); void sendReport(); }}>
      <h2>{t("production.report")}</h2>
      {sentHere && (
        <div ref={confirmation}>
          <ReportConfirmation sent={sentHere} onUndo={setUndoing} />
        </div>
      )}
      {!nothing && (
        <>
          <Stepper label={t("production.good")} value={good.value} max={goodMax.value}
            decimals={decimals} onChange={setGood} />
          {!goodTouched.value && good.value > 0 && (
            <p class="muted report-hint" data-testid="report-prefill">
              {container > 0 && prefill.value === container
                ? t("reporting.prefillContainer", { count: container })
                : t("reporting.prefillRest", { count: prefill.value })}
            </p>
          )}
          <Stepper label={t("production.scrap")} value={scrap.value} max={scrapMax.value} decimals={decimals} onChange={setScrap} />
          {scrap.value > 0 && (
            <div class="report-reasons" role="group" aria-label={t("production.scrapReason")} data-testid="scrap-reasons">
              <span class="stepper-label">{t("production.scrapReason")}</span>
              <div class="report-reason-grid">
                {top.map((r) => (
                  <button type="button" key={r.code} class="report-reason" aria-pressed={scrapReason.value === r.code}
                    data-testid={`reason-${r.code}`} onClick={() => pickReason(r.code)}>{r.name}</button>
                ))}
                {other.length > 0 && (
                  <button type="button" class="report-reason" data-testid="reason-other" onClick={() => setChoosingOther(true)}>
                    {t("reporting.otherReason")}
                  </button>
                )}
              </div>
              {scrapReason.value === "" && <p class="muted">{t("reporting.pickReason")}</p>}
            </div>
          )}
          <details class="report-more" data-testid="report-rework">
            <summary data-testid="report-rework-toggle">{t("production.rework")}{rework.value > 0 ? `: ${rework.value}` : ""}</summary>
            <Stepper label={t("production.rework")} value={rework.value} max={9999} decimals={decimals}
              onChange={(v) => (rework.value = v)} />
          </details>
        </>
      )}
      {!nothing && (
        <div ref={send}>
          <Button type="submit" block disabled={!canSend.value} data-testid="report-submit">
            {t("production.sendReport")}
          </Button>
        </div>
      )}
      {choosingOther && (
        <Sheet title={t("production.scrapReason")} onClose={() => setChoosingOther(false)}>
          <div class="stack" data-testid="other-reasons">
            {other.map((r) => (
              <Button key={r.code} block variant={scrapReason.value === r.code ? "primary" : "secondary"}
                onClick={() => { pickReason(r.code); setChoosingOther(false); }}>
                {r.name}
              </Button>
            ))}
          </div>
        </Sheet>
      )}
      {undoing !== null && <UndoSheet reportId={undoing} opCode={op.code} onClose={() => setUndoing(null)} />}
    </form>
  );
}
