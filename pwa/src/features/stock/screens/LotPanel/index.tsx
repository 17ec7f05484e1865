import { useEffect, useState } from "preact/hooks";
import { watch } from "../../../../app/live";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { roles } from "../../../../app/session";
import { formatDateTime } from "../../../../app/dates";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { StatusChip } from "../../../../ui/StatusChip";
import { num, type Lot } from "../../api";
import { blockLot, loadHoldReasons, lot, lotError, lotRecordKey, lotSavedAt, openLot, reasons,
  releaseLot } from "../../lot";
import { holdWhy } from "../../reasons";
import { lotMoves, mayShipLot } from "../../moves";
import { dismissRefusal, lastMove, loadPlaces, onSettled as onMoveSettled, places } from "../../moving";
import { Expiry, Go, originText } from "../../parts";
import "./style.css";

/** The move this device sent last of the lot: waiting in the outbox, refused (the server's
 * sentence), or what it did: where the stock went, and the lot it arrived as when that is a
 * new one (a defective or customer return arrives blocked). */
function LastMove({ code, unit }: { code: string; unit: string }) {
  const last = lastMove.value;
  if (!last || last.lot !== code) return null;
  if (last.state === "waiting") return <p class="note" data-testid="move-waiting">{t("moves.waiting")}</p>;
  if (last.state === "refused") {
    return (
      <div class="lot-move-refused" role="alert" data-testid="move-refused">
        <p>{t(`moves.title_${last.kind}`)} · {t("moves.refused")} {last.detail}</p>
        <Button variant="secondary" onClick={() => void dismissRefusal()}>{t("ui.ok")}</Button>
      </div>
    );
  }
  const { quantity, from, to, newLot } = last.done;
  const params = { what: t(`moves.title_${last.kind}`), quantity, unit, from: from ?? "", to: to ?? "" };
  const text = t(from && to ? "moves.doneMoved" : to ? "moves.doneIn" : "moves.doneOut", params);
  return (
    <div class="card lot-moved" role="status" data-testid="move-done" data-to-lot={newLot ?? ""}>
      <p>{text}</p>
      {newLot && (
        <p class="lot-moved-new">{t("moves.arrivedAs")} <Go big to={recordPath("LOT", newLot)} testId="move-new-lot">{newLot}</Go>{" "}
          <StatusChip of="lot" status="blocked" /></p>
      )}
    </div>
  );
}

/** The lot's quality status over time: made, blocked, released, by whom and why. */
function LotHistory({ history }: { history: NonNullable<Lot["history"]> }) {
  return (
    <>
      <h2>{t("stock.statusHistory")}</h2>
      <ul class="list lot-history" data-testid="lot-history">
        {[...history].reverse().map((h) => (
          <li key={`${h.at}-${h.action}`} class="lot-history-row" data-action={h.action}>
            <span class="lot-history-head">
              <StatusChip of="lot" status={h.status} />
              <span class="muted">{formatDateTime(h.at)} · {h.by}</span>
            </span>
            {(h.reason_code || h.note) && <span data-reason={h.reason_code || undefined}>{holdWhy(h.reason_name || h.reason_code, h.note)}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A material lot, where a lot label's scan lands (inside the record page, whose head shows
 * its item's name and its quality status): item, supplier batch, expiry, where its stock is,
 * release / block for inspectors and supervisors, and the moves by scanning for the roles the
 * server lets move stock (return, finished goods, transfer, scrap, miscellaneous, shipment). */
export function LotPanel({ code, actions }: { code: string; actions: string[] }) {
  const [blocking, setBlocking] = useState(false);
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");

  useEffect(() => {
    void openLot(code);
    void loadPlaces(); // which locations are line-side: what may be returned or put away
    const reload = () => void openLot(code);
    const stopWatch = watch(`lot:${code}`, reload);
    const stopSettled = onCommandSettled((cmd) => cmd.recordKey === lotRecordKey(code) && reload());
    // A move sent from here that waited in the outbox lands while its lot's page is open.
    const stopMoves = onCommandSettled(onMoveSettled);
    return () => { stopWatch(); stopSettled(); stopMoves(); };
  }, [code]);

  const l = lot.value;
  if (!l || l.code !== code) {
    return lotError.value ? <p class="error-text" role="alert">{lotError.value}</p> : <p>{t("ui.loading")}</p>;
  }
  const may = (a: string) => actions.includes(a);
  const status = l.quality_status;
  const moves = lotMoves(l, places.value, roles.value);
  const openBlock = () => { setReason(""); setNote(""); setBlocking(true); void loadHoldReasons(); };
  const openRelease = () => { setNote(""); setReleasing(true); };
  return (
    <section class="lot-panel" data-testid="lot" data-status={status}>
      {lotSavedAt.value !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {status === "pending" && <p class="note" data-testid="lot-pending">{t("stock.waitsForInspection")}</p>}
      {status === "blocked" && (
        <p class="lot-blocked" role="note" data-testid="lot-blocked" data-reason={l.hold_reason || undefined}>
          {t("stock.blockedWhy", { why: holdWhy(l.hold_reason_name || l.hold_reason, l.hold_note) || "—" })}
        </p>
      )}
      <LastMove code={code} unit={l.unit} />
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
          <Button block data-testid="lot-release" onClick={openRelease}>{t("stock.releaseLot")}</Button>
        )}
        {may("block") && status !== "blocked" && (
          <Button block variant="danger" data-testid="lot-block" onClick={openBlock}>{t("action.block")}</Button>
        )}
      </div>
      {(moves.length > 0 || mayShipLot(l, places.value, roles.value)) && (
        <div class="lot-buttons" data-testid="lot-moves">
          {moves.map((kind) => (
            <Button key={kind} block variant={kind === "scrap" ? "danger" : "secondary"} data-testid={`lot-move-${kind}`}
              onClick={() => navigate(`/move/${kind}/${encodeURIComponent(code)}`)}>
              {t(`moves.title_${kind}`)}
            </Button>
          ))}
          {mayShipLot(l, places.value, roles.value) && (
            <Button block variant="secondary" data-testid="lot-ship" onClick={() => navigate(`/ship/${encodeURIComponent(code)}`)}>
              {t("moves.shipAction")}
            </Button>
          )}
        </div>
      )}
      {l.history && l.history.length > 0 && <LotHistory history={l.history} />}
      {releasing && (
        <Sheet title={t("stock.releaseTitle", { lot: code })} onClose={() => setReleasing(false)}>
          <form class="stack" data-testid="release-sheet" onSubmit={(e) => {
            e.preventDefault();
            setReleasing(false);
            void releaseLot(code, note);
          }}>
            <p>{t("stock.releaseWhat", { lot: code, item: l.item_code })}</p>
            <div class="field">
              <label for="release-note">{t("stock.releaseNote")}</label>
              <input id="release-note" value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} data-testid="release-note" />
            </div>
            <Button type="submit" block data-testid="release-confirm">{t("stock.releaseLot")}</Button>
            <Button type="button" variant="secondary" block onClick={() => setReleasing(false)}>{t("ui.cancel")}</Button>
          </form>
        </Sheet>
      )}
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
