import { useState } from "preact/hooks";
import { unitDecimals } from "../../../../app/units";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { Stepper } from "../../../../ui/Stepper";
import { num, type Operation, type OutsourceOrder, type WorkOrder } from "../../api";
import { awaitingInspection, canSendWhole, receiptProblem, sendableOperations, sendLimit } from "../../outsourcing";
import {
  dismissOutsourceRefusal, loadChoices, outsourceOrders, outsourceRefusals, outsourceWaiting, receiveFromSupplier,
  sendToSupplier, supplierList, supplierScrapReasons,
} from "../../suppliers";
import "./style.css";

type Ops = (Operation & { available_total?: string | number })[];

const range = (o: OutsourceOrder) => (o.first_seq === o.last_seq
  ? t("station.osoOperation", { seq: o.first_seq })
  : t("station.osoOperations", { first: o.first_seq, last: o.last_seq }));

/** Choose what goes (one operation not started, or all of them), to which supplier, how many. */
function SendSheet({ wo, onClose }: { wo: WorkOrder; onClose: () => void }) {
  const ops = (wo.operations ?? []) as Ops;
  const sendable = sendableOperations(ops, outsourceOrders.value);
  const whole = canSendWhole(ops, outsourceOrders.value);
  const [seq, setSeq] = useState<number | null>(whole ? null : sendable[0]?.seq ?? null);
  const [supplier, setSupplier] = useState("");
  const limit = sendLimit(ops, seq, wo.quantity);
  const [quantity, setQuantity] = useState(limit);
  const choose = (next: number | null) => { setSeq(next); setQuantity(sendLimit(ops, next, wo.quantity)); };
  const send = () => { onClose(); void sendToSupplier(wo.code, seq, supplier, quantity); };
  return (
    <Sheet title={t("station.sendToSupplier")} onClose={onClose}>
      <form class="stack" data-testid="send-sheet" onSubmit={(e) => { e.preventDefault(); send(); }}>
        <p class="muted">{t("station.whatGoes")}</p>
        {whole && (
          <Button block variant={seq === null ? "primary" : "secondary"} aria-pressed={seq === null}
            data-testid="send-whole" onClick={() => choose(null)}>{t("station.wholeOrder")}</Button>
        )}
        {sendable.map((op) => (
          <Button key={op.seq} block variant={seq === op.seq ? "primary" : "secondary"} aria-pressed={seq === op.seq}
            data-testid={`send-op-${op.seq}`} onClick={() => choose(op.seq)}>{op.seq} · {op.name}</Button>
        ))}
        <div class="field">
          <label for="oso-supplier">{t("station.supplier")}</label>
          <select id="oso-supplier" data-testid="oso-supplier" value={supplier} required
            onChange={(e) => setSupplier(e.currentTarget.value)}>
            <option value="">{t("station.chooseSupplier")}</option>
            {supplierList.value.map((s) => <option key={s.code} value={s.code}>{s.code} · {s.name}</option>)}
          </select>
        </div>
        <Stepper label={t("station.parts")} value={Math.min(quantity, limit)} max={limit} decimals={unitDecimals(wo.unit)}
          onChange={setQuantity} />
        {limit <= 0 && <p class="error-text">{t("station.nothingReached")}</p>}
        <Button type="submit" block disabled={!supplier || quantity <= 0 || quantity > limit} data-testid="send-submit">
          {t("station.send")}
        </Button>
      </form>
    </Sheet>
  );
}

/** Parts back: good ones, and the supplier's scrap with a reason; fewer than are out is fine. */
function ReceiveSheet({ wo, order, onClose }: { wo: WorkOrder; order: OutsourceOrder; onClose: () => void }) {
  const [good, setGood] = useState(0);
  const [scrap, setScrap] = useState(0);
  const [reason, setReason] = useState("");
  const outstanding = num(order.outstanding);
  const problem = receiptProblem(order, good, scrap, reason);
  const receive = () => { onClose(); void receiveFromSupplier(wo.code, order.code, good, scrap, reason); };
  return (
    <Sheet title={t("station.receiveTitle", { code: order.code })} onClose={onClose}>
      <form class="stack" data-testid="receive-sheet" onSubmit={(e) => { e.preventDefault(); if (!problem) receive(); }}>
        <p class="muted">{t("station.stillOut", { count: outstanding, supplier: order.supplier_code })}</p>
        <Stepper label={t("station.goodBack")} value={good} max={Math.max(0, outstanding - scrap)} decimals={unitDecimals(wo.unit)}
          onChange={setGood} />
        <Stepper label={t("station.supplierScrap")} value={scrap} max={Math.max(0, outstanding - good)} decimals={unitDecimals(wo.unit)}
          onChange={setScrap} />
        {scrap > 0 && (
          <div class="field">
            <label for="oso-reason">{t("station.scrapReason")}</label>
            <select id="oso-reason" data-testid="oso-scrap-reason" value={reason} required
              onChange={(e) => setReason(e.currentTarget.value)}>
              <option value="">{t("station.chooseReason")}</option>
              {supplierScrapReasons.value.map((r) => <option key={r.code} value={r.code}>{r.name}</option>)}
            </select>
          </div>
        )}
        {problem && problem !== "empty" && <p class="error-text">{t(`station.problem_${problem}`, { outstanding })}</p>}
        <p class="note">{t("station.receivedWaitForInspection")}</p>
        <Button type="submit" block disabled={problem !== null} data-testid="receive-submit">{t("station.receive")}</Button>
      </form>
    </Sheet>
  );
}

/** A work order's work at suppliers: what went out, what came back (waiting for incoming
 * inspection), and for planners and supervisors sending more out. */
export function OutsourceCard({ wo, maySend, mayReceive }: { wo: WorkOrder; maySend: boolean; mayReceive: boolean }) {
  const [sending, setSending] = useState(false);
  const [receiving, setReceiving] = useState<OutsourceOrder | null>(null);
  const orders = outsourceOrders.value;
  const ops = (wo.operations ?? []) as Ops;
  const open = ["released", "in_progress"].includes(wo.status);
  const offerSend = maySend && open && (canSendWhole(ops, orders) || sendableOperations(ops, orders).length > 0);
  if (!orders.length && !offerSend && !outsourceRefusals.value.length) return null;
  return (
    <section class="oso" data-testid="outsourcing">
      <h2>{t("station.outsourcing")}</h2>
      {outsourceRefusals.value.map((r) => (
        <div key={r.commandId} class="oso-refusal" role="alert" data-testid="oso-refusal">
          <p>{t("station.outsourceRefused")} {r.detail}</p>
          <Button variant="secondary" onClick={() => void dismissOutsourceRefusal(r.commandId)}>{t("ui.ok")}</Button>
        </div>
      ))}
      {outsourceWaiting.value > 0 && <p class="note">{t("station.outsourceWaiting", { count: outsourceWaiting.value })}</p>}
      <ul class="list">
        {orders.map((o) => {
          const held = awaitingInspection(o, ops);
          return (
            <li key={o.code} class="card oso-order" data-testid={`oso-${o.code}`} data-status={o.status}
              data-outstanding={num(o.outstanding)}>
              <p class="oso-head"><span><strong>{o.code}</strong> · {o.supplier_code} · {range(o)}</span> <span class={`oso-status oso-${o.status}`}>{t(`status.outsourcing.${o.status}`)}</span></p>
              <p>{t("station.osoFigures", { quantity: num(o.quantity), received: num(o.received), scrapped: num(o.scrapped), outstanding: num(o.outstanding) })}</p>
              {held > 0 && <p class="note" data-testid="oso-inspection">{t("station.awaitingInspection", { count: held })}</p>}
              {mayReceive && o.status === "open" && (
                <Button block data-testid={`receive-${o.code}`} onClick={() => { void loadChoices(); setReceiving(o); }}>
                  {t("station.receiveFromSupplier")}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {offerSend && (
        <Button block variant="secondary" data-testid="send-to-supplier" onClick={() => { void loadChoices(); setSending(true); }}>
          {t("station.sendToSupplier")}
        </Button>
      )}
      {sending && <SendSheet wo={wo} onClose={() => setSending(false)} />}
      {receiving && <ReceiveSheet wo={wo} order={receiving} onClose={() => setReceiving(null)} />}
    </section>
  );
}
