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
import { lot, lotError } from "../../lot";
import { arrives, chooseSource, sourcesFor, targetNeed, type MoveKind } from "../../moves";
import {
  change, closeMove, dismissRefusal, form, lastMove, maximum, moveScan, onSettled, places, problems, reasonChoices,
  sendMove, startMove,
} from "../../moving";
import { Go } from "../../parts";
import "./style.css";

/** A move of one lot by scanning (opened from the lot's page): where from (prefilled when only
 * one location holds it), the destination's label scanned (the scrap location suggested for
 * scrap), the quantity (all that is there), confirm. Back on the lot's page once it is done. */
export function MovePage({ kind, code }: { kind: MoveKind; code: string }) {
  const f = form.value;
  const l = lot.value && lot.value.code === code ? lot.value : null;
  const last = lastMove.value?.lot === code ? lastMove.value : null;
  useHoldsUnsavedInput(!!f && !!(f.to || f.reason || f.note) && last?.state !== "done");

  useEffect(() => {
    void startMove(kind, code);
    const stopSettled = onCommandSettled(onSettled);
    const release = claimScans(async (parsed) => {
      const verdict = await moveScan(parsed);
      if (!verdict) return false;
      (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    });
    return () => { stopSettled(); release(); closeMove(); };
  }, [kind, code]);

  // Done: the lot's page shows where its stock is now (and what the move made). Read now, not
  // from this render: opening the screen clears an earlier move's "done".
  useEffect(() => {
    const now = lastMove.value;
    if (now?.state === "done" && now.lot === code) navigate(recordPath("LOT", code), { replace: true });
  }, [last?.state]);

  const title = t(`moves.title_${kind}`);
  if (!f || !l) {
    return (
      <main class="page move">
        <h1>{title}</h1>
        {lotError.value ? <p class="error-text" role="alert">{lotError.value}</p> : <p>{t("ui.loading")}</p>}
      </main>
    );
  }
  const sources = sourcesFor(kind, l, places.value);
  const need = targetNeed(kind);
  const missing = problems.value;
  const sending = last?.state === "waiting";
  return (
    <main class="page move" data-testid="move" data-kind={kind} data-lot={code}>
      <p class="muted move-kind">{title}</p>
      <h1><Go to={recordPath("LOT", code)}>{code}</Go></h1>
      <p class="muted">{l.item_code} · {l.item_name}</p>
      {last?.state === "refused" && (
        <div class="move-refusal" role="alert" data-testid="move-refused">
          <p>{t("moves.refused")} {last.detail}</p>
          <Button variant="secondary" onClick={() => void dismissRefusal()}>{t("ui.ok")}</Button>
        </div>
      )}
      {sending && (
        <div class="note move-waiting" data-testid="move-waiting">
          <p>{t("moves.waiting")}</p>
          <Button variant="secondary" onClick={() => navigate(recordPath("LOT", code))}>{t("moves.backToLot")}</Button>
        </div>
      )}
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void sendMove(); }}>
        {!arrives(kind) && (
          <fieldset class="move-from">
            <legend>{t("moves.from")}</legend>
            {sources.length === 0 ? <p class="error-text">{t("moves.nowhere")}</p> : sources.map((s) => (
              <Button key={s.location_code} block variant={s.location_code === f.from ? "primary" : "secondary"}
                data-testid={`move-from-${s.location_code}`} aria-pressed={s.location_code === f.from}
                onClick={() => (form.value = chooseSource(f, s))}>
                {s.location_code} · {s.quantity} {l.unit}
              </Button>
            ))}
          </fieldset>
        )}
        {kind === "return" && (
          <div class="move-choice" role="group" aria-label={t("moves.returnWhy")}>
            <Button variant={f.defective ? "secondary" : "primary"} aria-pressed={!f.defective} data-testid="move-leftover"
              onClick={() => change({ defective: false })}>{t("moves.leftover")}</Button>
            <Button variant={f.defective ? "danger" : "secondary"} aria-pressed={f.defective} data-testid="move-defective"
              onClick={() => change({ defective: true })}>{t("moves.defective")}</Button>
          </div>
        )}
        {kind === "return" && f.defective && <p class="note">{t("moves.defectiveHint")}</p>}
        {need !== "none" && (
          <div class={`move-to${f.to ? " set" : ""}`} data-testid="move-to">
            {f.to ? t(arrives(kind) ? "moves.arrivesAt" : "moves.goesTo", { location: f.to })
              : need === "optional" ? t("moves.writeOff") : t("moves.scanDestination")}
          </div>
        )}
        {kind === "scrap" && f.to && <p class="muted">{t("moves.scrapSuggested")}</p>}
        <Stepper label={`${t("moves.quantity")} (${l.unit})`} value={f.quantity} max={maximum.value} decimals={unitDecimals(l.unit)}
          onChange={(v) => change({ quantity: v })} />
        {reasonChoices.value.length > 0 && (
          <div class="field">
            <label for="move-reason">{t("moves.reason")}</label>
            <select id="move-reason" value={f.reason} data-testid="move-reason" onChange={(e) => change({ reason: e.currentTarget.value })}>
              <option value="">{missing.includes("reason") ? t("moves.chooseReason") : t("moves.noReason")}</option>
              {reasonChoices.value.map((r) => <option key={r.code} value={r.code}>{r.code} · {r.name}</option>)}
            </select>
          </div>
        )}
        <div class="field">
          <label for="move-note">{t("moves.note")}</label>
          <input id="move-note" value={f.note} maxLength={500} onInput={(e) => change({ note: e.currentTarget.value })} />
        </div>
        {missing.length > 0 && <p class="muted" data-testid="move-missing">{t(`moves.need_${missing[0]}`)}</p>}
        <Button type="submit" block variant={kind === "scrap" || f.defective ? "danger" : "primary"}
          disabled={missing.length > 0 || sending || last?.state === "refused"} data-testid="move-confirm">
          {t("moves.confirm", { what: title, quantity: f.quantity, unit: l.unit })}
        </Button>
      </form>
    </main>
  );
}
