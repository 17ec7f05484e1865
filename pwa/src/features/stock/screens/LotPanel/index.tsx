import { useEffect, useState } from "preact/hooks";
import { watch } from "../../../../app/live";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { num } from "../../api";
import { blockLot, loadHoldReasons, lot, lotError, lotRecordKey, lotSavedAt, openLot, reasons, releaseLot } from "../../lot";
import { Expiry, Go, originText } from "../../parts";
import "./style.css";

/** A material lot, where a lot label's scan lands (inside the record page, whose head shows
 * its item's name and its quality status): item, supplier batch, expiry, where its stock is,
 * and release / block for inspectors and supervisors. */
export function LotPanel({ code, actions }: { code: string; actions: string[] }) {
  const [blocking, setBlocking] = useState(false);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");

  useEffect(() => {
    void openLot(code);
    const reload = () => void openLot(code);
    const stopWatch = watch(`lot:${code}`, reload);
    const stopSettled = onCommandSettled((cmd) => cmd.recordKey === lotRecordKey(code) && reload());
    return () => { stopWatch(); stopSettled(); };
  }, [code]);

  const l = lot.value;
  if (!l || l.code !== code) {
    return lotError.value ? <p class="error-text" role="alert">{lotError.value}</p> : <p>{t("ui.loading")}</p>;
  }
  const may = (a: string) => actions.includes(a);
  const status = l.quality_status;
  const openBlock = () => { setReason(""); setNote(""); setBlocking(true); void loadHoldReasons(); };
  return (
    <section class="lot-panel" data-testid="lot" data-status={status}>
      {lotSavedAt.value !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {status === "pending" && <p class="note" data-testid="lot-pending">{t("stock.waitsForInspection")}</p>}
      {status === "blocked" && (
        <p class="lot-blocked" role="note">
          {t("stock.blockedWhy", { why: [l.hold_reason, l.hold_note].filter(Boolean).join(" · ") || "—" })}
        </p>
      )}
      <dl class="facts card lot-facts">
        <dt>{t("stock.item")}</dt><dd><Go to={recordPath("ITEM", l.item_code)} testId="lot-item">{l.item_code}</Go></dd>
        <dt>{t("stock.onHand")}</dt><dd data-testid="on-hand">{num(l.on_hand)} {l.unit}</dd>
        <dt>{t("stock.supplier")}</dt><dd>{l.supplier_code ?? "—"}</dd>
        <dt>{t("stock.supplierLot")}</dt><dd data-testid="supplier-lot">{l.supplier_lot || "—"}</dd>
        <dt>{t("stock.expiresOn")}</dt><dd><Expiry date={l.expires_on} /></dd>
        {l.work_order_code && <><dt>{t("kind.WO")}</dt><dd><Go to={recordPath("WO", l.work_order_code)}>{l.work_order_code}</Go></dd></>}
        {l.receipt_code && <><dt>{t("stock.receipt")}</dt><dd>{l.receipt_code}{l.po_reference ? ` · ${l.po_reference}` : ""}</dd></>}
        <dt>{t("stock.origin")}</dt><dd>{originText(l.origin)}</dd>
      </dl>
      <h2>{t("stock.whereItIs")}</h2>
      {l.stock.length === 0 ? <p class="muted">{t("stock.noStock")}</p> : (
        <ul class="list" data-testid="lot-stock">
          {l.stock.map((s) => (
            <li key={s.location_code}>
              <a class="list-item" href={recordPath("LOC", s.location_code)}
                onClick={(e) => { e.preventDefault(); navigate(recordPath("LOC", s.location_code)); }}>
                <strong>{s.location_code}</strong>
                <span class={num(s.quantity) < 0 ? "error-text" : ""}>{num(s.quantity)} {l.unit}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <div class="lot-buttons">
        {may("trace") && (
          <Button block variant="secondary" data-testid="lot-trace" onClick={() => navigate(`/trace/${encodeURIComponent(code)}`)}>
            {t("action.trace")}
          </Button>
        )}
        {may("release") && status !== "released" && (
          <Button block data-testid="lot-release" onClick={() => void releaseLot(code)}>{t("stock.releaseLot")}</Button>
        )}
        {may("block") && status !== "blocked" && (
          <Button block variant="danger" data-testid="lot-block" onClick={openBlock}>{t("action.block")}</Button>
        )}
      </div>
      {blocking && (
        <Sheet title={t("stock.blockTitle", { lot: code })} onClose={() => setBlocking(false)}>
          <form class="stack" onSubmit={(e) => {
            e.preventDefault();
            setBlocking(false);
            void blockLot(code, reason, note);
          }}>
            <div class="field">
              <label for="hold-reason">{t("stock.holdReason")}</label>
              <select id="hold-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="hold-reason">
                <option value="">{t("stock.noReasonCode")}</option>
                {reasons.value.map((r) => <option key={r.code} value={r.code}>{r.name}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="hold-note">{t("stock.holdNote")}</label>
              <input id="hold-note" value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} data-testid="hold-note" />
            </div>
            <p class="muted">{t("stock.blockNeedsWhy")}</p>
            <Button type="submit" variant="danger" block disabled={!reason && !note.trim()} data-testid="block-confirm">
              {t("action.block")}
            </Button>
          </form>
        </Sheet>
      )}
    </section>
  );
}
