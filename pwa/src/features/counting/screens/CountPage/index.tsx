import { useEffect, useState } from "preact/hooks";
import { watch } from "../../../../app/live";
import { onCommandSettled } from "../../../../app/outbox";
import { recordPath } from "../../../../app/router";
import { useHoldsUnsavedInput } from "../../../../app/update";
import { unitDecimals } from "../../../../app/units";
import { t } from "../../../../i18n";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { claimScans } from "../../../../scan/router";
import { Button } from "../../../../ui/Button";
import { Stepper } from "../../../../ui/Stepper";
import { Go } from "../../../stock/parts";
import type { CountLineView } from "../../lines";
import {
  blocked, chooseLine, chosen, closeCount, count, countError, counting, countSavedAt, countScan, dismissRefusal, lines,
  mayDecide, onSettled, openCount, pendingDecision, quantity, refusal, saveLine, submitCount,
} from "../../model";
import { CountChip } from "../../parts";
import { CountReview, RejectSheet } from "../CountReview";
import "./style.css";

const amount = (n: number | null, unit: string) => (n === null ? "—" : `${n}${unit ? ` ${unit}` : ""}`);

/** The line being counted: what it is, what the ledger expects (unless blind), the figure. */
function Counter({ line }: { line: CountLineView }) {
  return (
    <form class="card stack count-counter" data-testid="count-counter" data-lot={line.lot_code ?? ""}
      onSubmit={(e) => { e.preventDefault(); void saveLine(); }}>
      <p class="count-counter-item">
        <strong>{line.item_code}</strong>{line.item_name ? ` · ${line.item_name}` : ""}<br />
        {line.lot_code ? t("count.lot", { lot: line.lot_code }) : t("count.noLot")}
      </p>
      {line.found ? <p class="note">{t("count.foundHint")}</p>
        : line.expected !== null && <p class="muted" data-testid="count-counter-expected">{t("count.ledgerSays", { quantity: amount(line.expected, line.unit) })}</p>}
      <Stepper label={t("count.counted", { unit: line.unit })} value={quantity.value} decimals={unitDecimals(line.unit)}
        onChange={(v) => (quantity.value = v)} />
      <Button type="submit" block data-testid="count-save">{t("count.save")}</Button>
    </form>
  );
}

function LineButton({ line, current }: { line: CountLineView; current: boolean }) {
  return (
    <button type="button" class={`list-item count-line${current ? " current" : ""}${line.counted !== null ? " done" : ""}`}
      data-testid="count-line" data-lot={line.lot_code ?? ""} data-item={line.item_code}
      data-counted={line.counted ?? ""} data-waiting={line.waiting ? "yes" : "no"} onClick={() => chooseLine(line.key)}>
      <span><strong>{line.item_code}</strong> · {line.lot_code ?? t("count.noLot")}
        {line.found && <> · <span class="count-found">{t("count.found")}</span></>}<br />
        <span class="muted" data-testid="count-line-expected">
          {line.found ? t("count.notExpected") : line.expected === null ? t("count.expectedHidden") : t("count.expected", { quantity: amount(line.expected, line.unit) })}
        </span>
      </span>
      <span class="count-figure">
        {line.counted === null ? <span class="muted">{t("count.notCounted")}</span> : `✔ ${amount(line.counted, line.unit)}`}
        {line.waiting && <><br /><span class="muted">{t("count.lineWaiting")}</span></>}
      </span>
    </button>
  );
}

function Counting() {
  const [rejecting, setRejecting] = useState(false);
  const c = count.value!;
  const all = lines.value;
  const line = chosen.value;
  const block = blocked.value;
  return (
    <>
      <p class="count-instruction" data-testid="count-instruction">{t("count.scanLots")}</p>
      {!c.expected_visible && <p class="note" data-testid="count-blind-note">{t("count.blindNote")}</p>}
      {line && <Counter line={line} />}
      <h2>{t("count.lines", { count: all.length })}</h2>
      {all.length === 0 ? <p class="muted">{t("count.nothingExpected")}</p> : (
        <ul class="list" data-testid="count-lines">
          {all.map((l) => <li key={l.key}><LineButton line={l} current={l === line} /></li>)}
        </ul>
      )}
      {block && <p class="muted" data-testid="count-submit-block">{t(`count.${block.key}`, block.params)}</p>}
      <Button block disabled={!!block} data-testid="count-submit" onClick={() => void submitCount()}>{t("count.submit")}</Button>
      {mayDecide.value && (
        <Button block variant="ghost" data-testid="count-reject" onClick={() => setRejecting(true)}>{t("count.reject")}</Button>
      )}
      {rejecting && <RejectSheet onClose={() => setRejecting(false)} />}
    </>
  );
}

/** A count: counted here while it is open (scan each lot, enter the figure, submit); once
 * submitted, the comparison, which a supervisor approves or rejects. */
export function CountPage({ code }: { code: string }) {
  useHoldsUnsavedInput(!!chosen.value);
  useEffect(() => {
    void openCount(code);
    const stopSettled = onCommandSettled(onSettled);
    const release = claimScans(async (parsed) => {
      const verdict = await countScan(parsed);
      if (!verdict) return false;
      (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    });
    return () => { stopSettled(); release(); closeCount(); };
  }, [code]);

  const c = count.value?.code === code ? count.value : null;
  // Someone else's line, submit or decision on this count is an event on its location.
  const location = c?.location_code;
  useEffect(() => (location ? watch(`location:${location}`, () => void openCount(code)) : undefined), [code, location]);
  const waiting = pendingDecision.value;
  return (
    <main class="page count" data-testid="count" data-code={code} data-status={c?.status ?? ""}>
      <p class="muted count-kind">{c?.location_kind === "line_side" ? t("count.reconciliationKind") : t("count.title")}</p>
      <h1>{code}</h1>
      {!c ? (countError.value ? <p class="error-text" role="alert">{countError.value}</p> : <p>{t("ui.loading")}</p>) : (
        <>
          <p class="row">
            <Go to={recordPath("LOC", c.location_code)} testId="count-location">{c.location_code}</Go>
            {c.line_code && <span class="muted">{t("count.ofLine", { line: c.line_code })}</span>}
            <CountChip status={c.status} />
            {c.blind && <span class="chip chip-idle">{t("count.blind")}</span>}
          </p>
          {countSavedAt.value !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
          {refusal.value && (
            <div class="count-refusal" role="alert" data-testid="count-refusal">
              <p>{t("count.refused")} {refusal.value.detail}</p>
              <Button variant="secondary" onClick={() => void dismissRefusal()}>{t("ui.ok")}</Button>
            </div>
          )}
          {waiting && <p class="note" data-testid="count-decision-waiting">{t(`count.waiting_${waiting}`)}</p>}
          {counting.value ? <Counting /> : <CountReview />}
        </>
      )}
    </main>
  );
}
