import { useEffect } from "preact/hooks";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { useHoldsUnsavedInput } from "../../../../app/update";
import { unitDecimals } from "../../../../app/units";
import { t } from "../../../../i18n";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { claimScans } from "../../../../scan/router";
import { Button } from "../../../../ui/Button";
import { Stepper } from "../../../../ui/Stepper";
import { num } from "../../api";
import { nextSuggestion, shortLines, stageOf, type GuidedLine } from "../../guidance";
import { Go } from "../../parts";
import {
  canIssue, chooseLine, closePick, current, dismissRefusal, issue, lines, noteText, onSettled, openPick, pendingMoves,
  pickError, pickList, pickSavedAt, pickScan, quantity, refusal, step, stepNote,
} from "../../picking";
import "./style.css";

/** The instruction for the line at hand: the next scan it waits for, in big letters (the
 * location, then the lot; the quantity to take below it), then the quantity to confirm. */
function Guide({ line }: { line: GuidedLine }) {
  const s = step.value;
  const next = nextSuggestion(line);
  const stage = stageOf(line, s);
  const amount = (q: number) => `${q}${line.unit ? ` ${line.unit}` : ""}`;
  const take = next ? amount(Math.min(num(next.quantity), line.remaining)) : "";
  const lotHere = next?.lot_code && next.location_code === s.location ? next.lot_code : null;
  return (
    <section class="card pick-guide" data-testid="pick-guide" data-item={line.item_code} data-stage={stage}
      data-location={next?.location_code ?? ""} data-lot={next?.lot_code ?? ""}>
      <p class="pick-guide-item">
        <strong>{line.item_code}</strong>{line.item_name ? ` · ${line.item_name}` : ""}<br />
        {t("stock.stillToPick", { quantity: amount(line.remaining) })}
      </p>
      {stage === "location" && (next ? (
        <div data-testid="pick-instruction">
          <p class="pick-instruction">{t("stock.scanLocationHint", { location: next.location_code })}</p>
          <p class="pick-then">{next.lot_code ? t("stock.thenLot", { lot: next.lot_code, quantity: take })
            : t("stock.thenTake", { quantity: take })}</p>
        </div>
      ) : <p class="error-text" data-testid="pick-instruction">{t("stock.nothingToSuggest")}</p>)}
      {stage === "lot" && (
        <div data-testid="pick-instruction">
          <p class="pick-instruction">{lotHere ? t("stock.scanLotHint", { lot: lotHere }) : t("stock.atScanLot", { location: s.location ?? "" })}</p>
          {lotHere && <p class="pick-then">{t("stock.atTake", { location: s.location ?? "", quantity: take })}</p>}
        </div>
      )}
      {noteText(stepNote.value) && <p class="note" role="note" data-testid="pick-note">{noteText(stepNote.value)}</p>}
      {stage === "quantity" && (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); void issue(); }}>
          <p class="pick-instruction">
            {s.lot ? t("stock.takeFrom", { lot: s.lot, location: s.location ?? "" }) : t("stock.takeFromNoLot", { location: s.location ?? "" })}
          </p>
          <Stepper label={t("stock.quantity")} value={quantity.value} max={line.remaining} decimals={unitDecimals(line.unit)}
            onChange={(v) => (quantity.value = v)} />
          <Button type="submit" block disabled={!canIssue.value} data-testid="pick-issue">
            {t("stock.issueToLine", { location: pickList.value?.to_location_code ?? "" })}
          </Button>
        </form>
      )}
    </section>
  );
}

/** The end of the list: all picked, or all that is in stock picked and what is still short. */
function Done({ code, all }: { code: string; all: GuidedLine[] }) {
  const short = shortLines(all);
  return (
    <section class="card pick-done" role="status" data-testid="pick-done" data-short={short.length}>
      <p class="pick-done-title">✔ {short.length ? t("stock.pickedAllInStock") : t("stock.allPicked")}</p>
      {short.length > 0 && (
        <>
          <p>{t("stock.stillShort", { items: short.map((l) => `${l.item_code} ${l.remaining}${l.unit ? ` ${l.unit}` : ""}`).join(", ") })}</p>
          <p class="muted">{t("stock.pickShortHint")}</p>
        </>
      )}
      <Button block variant={short.length ? "secondary" : "primary"} data-testid="pick-back" onClick={() => navigate(recordPath("WO", code))}>
        {t("stock.backToOrder", { code })}
      </Button>
    </section>
  );
}

/** Picking a work order's material to its line, line by line: go to the location, scan it,
 * scan the lot, confirm the quantity; each issue goes through the outbox, and the screen moves
 * on by itself (one location scan serves the lines in a row that are there). */
export function PickPage({ code }: { code: string }) {
  useHoldsUnsavedInput(!!step.value.lot);
  useEffect(() => {
    void openPick(code);
    const stopSettled = onCommandSettled(onSettled);
    const release = claimScans(async (parsed) => {
      const verdict = await pickScan(parsed);
      if (!verdict) return false;
      (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    });
    return () => { stopSettled(); release(); closePick(); };
  }, [code]);

  const list = pickList.value;
  const all = lines.value;
  const line = current.value;
  const waiting = pendingMoves.value.length;
  return (
    <main class="page pick" data-testid="pick" data-wo={code}>
      <p class="muted pick-kind">{t("stock.pickTitle")}</p>
      <h1><Go to={recordPath("WO", code)}>{code}</Go></h1>
      {pickSavedAt.value !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {!list ? (pickError.value ? <p class="error-text" role="alert">{pickError.value}</p> : <p>{t("ui.loading")}</p>) : (
        <>
          <p class="muted">{t("stock.toLine", { location: list.to_location_code })}</p>
          {refusal.value && (
            <div class="pick-refusal" role="alert" data-testid="pick-refusal">
              <p>{t("stock.issueRefused", { item: refusal.value.item })} {refusal.value.detail}</p>
              <Button variant="secondary" onClick={() => void dismissRefusal()}>{t("ui.ok")}</Button>
            </div>
          )}
          {waiting > 0 && <p class="note">{t("stock.issuesWaiting", { count: waiting })}</p>}
          {line ? <Guide line={line} /> : <Done code={code} all={all} />}
          <h2>{t("stock.pickLines")}</h2>
          <ul class="list" data-testid="pick-lines">
            {all.map((l) => (
              <li key={l.item_code}>
                <button type="button" class={`list-item pick-line${l === line ? " current" : ""}${l.remaining <= 0 ? " done" : ""}`}
                  data-testid={`pick-line-${l.item_code}`} data-to-pick={l.remaining} disabled={l.remaining <= 0}
                  onClick={() => chooseLine(l.item_code)}>
                  <span><strong>{l.item_code}</strong>{l.unit ? ` (${l.unit})` : ""}<br />
                    <span class="muted">{t("stock.lineFigures", { required: num(l.required), lineSide: num(l.line_side) })}</span>
                    {num(l.short) > 0 && l.remaining > 0 && <><br /><span class="error-text">{t("stock.short", { quantity: num(l.short) })}</span></>}
                  </span>
                  <span class="pick-left" data-testid={`to-pick-${l.item_code}`}>
                    {l.remaining > 0 ? t("stock.toPick", { quantity: l.remaining }) : `✔ ${t("stock.picked")}`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
