import { useEffect, useRef } from "preact/hooks";
import { onCommandSettled } from "../../../../app/outbox";
import { recordPath } from "../../../../app/router";
import { useHoldsUnsavedInput } from "../../../../app/update";
import { unitDecimals } from "../../../../app/units";
import { t } from "../../../../i18n";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { claimScans, lastScan } from "../../../../scan/router";
import { Button } from "../../../../ui/Button";
import { StatusChip } from "../../../../ui/StatusChip";
import { Stepper } from "../../../../ui/Stepper";
import { labelPdf } from "../../api";
import { Expiry, Go } from "../../parts";
import {
  chosenItem, explain, form, items, lastReceipt, onSettled, pickItem, pickSupplier, problems, quantityNote, readLabel,
  receivableItems, sendReceipt, setLocation, startReceipt, suppliers,
} from "../../receiving";
import "./style.css";

/** What the last receipt became: its lot (with the label to print) or the server's refusal.
 * It sits at the top of the form; sending scrolls it into view, and it is announced. */
function LastReceipt() {
  const last = lastReceipt.value;
  const box = useRef<HTMLDivElement>(null);
  const shown = last?.commandId;
  useEffect(() => {
    if (shown) box.current?.scrollIntoView({ block: "start" });
  }, [shown]);
  return <div ref={box} class="receipt-result" role="status" data-testid="receipt-result">{last && <Result />}</div>;
}

function Result() {
  const last = lastReceipt.value;
  if (!last) return null;
  if (last.state === "waiting") return <p class="note" data-testid="receipt-waiting">{t("stock.receiptWaiting")}</p>;
  if (last.state === "refused") return <p class="error-text" role="alert" data-testid="receipt-refused">{last.detail}</p>;
  const r = last.receipt;
  return (
    <section class="card receipt-done" data-testid="receipt-done" data-lot={r.lot_code ?? ""}>
      <p>{t("stock.received", { quantity: r.quantity, unit: r.unit, item: r.item_code, location: r.location_code })}</p>
      {r.lot_code ? (
        <>
          <p class="receipt-lot">{t("stock.newLot")} <Go big to={recordPath("LOT", r.lot_code)} testId="receipt-lot">{r.lot_code}</Go>{" "}
            <StatusChip of="lot" status={r.quality_status} /></p>
          {r.quality_status === "pending" && <p class="note">{t("stock.waitsForInspection")}</p>}
          <Button block variant="secondary" data-testid="receipt-print" onClick={() => window.open(labelPdf("LOT", r.lot_code!), "_blank")}>
            {t("stock.printLotLabel")}
          </Button>
        </>
      ) : <p class="muted">{t("stock.notByLot")}</p>}
    </section>
  );
}

/** Receiving at the dock: scan the supplier's label (or choose the item), count, scan the
 * location it is put away in, send. */
export function ReceivePage({ item }: { item: string | null }) {
  const f = form.value;
  useHoldsUnsavedInput(f.quantity > 0 || !!f.location || !!f.gs1 || !!f.supplierLot || !!f.poReference);

  useEffect(() => {
    // Opened from an item that a supplier label named a moment ago: that label fills the form
    // (once the items and units are read, so its quantity can be taken in the item's unit).
    const last = lastScan.value;
    const label = item && last?.parsed.type === "gs1" && last.result.kind === "ITEM" && last.result.code === item ? last.parsed : null;
    if (label) lastScan.value = null; // used once: a later visit starts clean
    let here = true; // false once the page moved on (another item, another screen)
    startReceipt(item)
      .then((current) => (here && current && label ? readLabel(label) : null))
      .then((verdict) => { if (here && verdict && !verdict.ok) rejectScan(verdict.message); })
      .catch((err: unknown) => { if (here) rejectScan(explain(err)); });
    const off = onCommandSettled(onSettled);
    return () => { here = false; off(); };
  }, [item]);

  // On this screen a supplier label fills the form and a location label is where it goes.
  useEffect(() => claimScans(async (parsed) => {
    if (parsed.type === "gs1") {
      const verdict = await readLabel(parsed);
      if (verdict) (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    }
    if (parsed.type === "label" && parsed.kind === "LOC") {
      setLocation(parsed.code);
      acceptScan(t("stock.putAwayAt", { location: parsed.code }));
      return true;
    }
    if (parsed.type === "label" && parsed.kind === "ITEM") {
      pickItem(items.value.find((i) => i.code === parsed.code) ?? { code: parsed.code, gtin: null });
      acceptScan(t("stock.itemChosen", { item: parsed.code }));
      return true;
    }
    if (parsed.type === "code" && (form.value.item || form.value.gs1) && !form.value.location) {
      // Typed by hand once the goods are known: the location they go to.
      setLocation(parsed.code);
      acceptScan(t("stock.putAwayAt", { location: parsed.code }));
      return true;
    }
    return false; // anything else opens its record, as everywhere
  }), []);

  const chosen = chosenItem.value;
  const missing = problems.value;
  const set = (patch: Partial<typeof f>) => (form.value = { ...form.value, ...patch });
  return (
    <main class="page receive" data-testid="receive">
      <h1>{t("stock.receiveTitle")}</h1>
      <LastReceipt />
      <p class="muted">{t("stock.receiveHint")}</p>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void sendReceipt(); }}>
        <div class="field">
          <label for="rcv-item">{t("stock.item")}</label>
          <select id="rcv-item" value={f.item} data-testid="receive-item"
            onChange={(e) => pickItem(items.value.find((i) => i.code === e.currentTarget.value) ?? null)}>
            <option value="">{f.gs1 && !f.item ? t("stock.itemByGtin", { gtin: f.gtin ?? "" }) : t("stock.chooseItem")}</option>
            {receivableItems.value.map((i) => <option key={i.code} value={i.code}>{i.code} · {i.name}</option>)}
          </select>
          {chosen?.incoming_inspection && <span class="muted">{t("stock.itemNeedsInspection")}</span>}
        </div>
        {f.gs1 && <p class="receive-label" data-testid="receive-gs1">{t("stock.fromLabel", { gtin: f.gtin ?? "—" })}</p>}
        <div class="field">
          <label for="rcv-lot">{t("stock.supplierLot")}</label>
          <input id="rcv-lot" value={f.supplierLot} readOnly={!!f.gs1 && f.fromLabel.lot} maxLength={64}
            data-testid="receive-supplier-lot" onInput={(e) => set({ supplierLot: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="rcv-exp">{t("stock.expiresOn")}</label>
          <input id="rcv-exp" type="date" value={f.expiresOn} readOnly={!!f.gs1 && f.fromLabel.expiry}
            data-testid="receive-expiry" onInput={(e) => set({ expiresOn: e.currentTarget.value })} />
          {f.expiresOn && <Expiry date={f.expiresOn} />}
        </div>
        <div class="field">
          <label for="rcv-supplier">{t("stock.supplier")}</label>
          <select id="rcv-supplier" value={f.supplier} data-testid="receive-supplier" onChange={(e) => pickSupplier(e.currentTarget.value)}>
            <option value="">{t("stock.noSupplier")}</option>
            {suppliers.value.map((s) => <option key={s.code} value={s.code}>{s.code} · {s.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="rcv-po">{t("stock.poReference")}</label>
          <input id="rcv-po" value={f.poReference} maxLength={100} onInput={(e) => set({ poReference: e.currentTarget.value })} />
        </div>
        <Stepper label={`${t("stock.quantity")}${chosen ? ` (${chosen.unit})` : ""}`} value={f.quantity} max={99_999_999}
          decimals={unitDecimals(chosen?.unit)}
          onChange={(v) => set({ quantity: v })} />
        {quantityNote.value && (
          <p class="note" role="alert" data-testid="receive-quantity-note">{t(`stock.${quantityNote.value.key}`, quantityNote.value.params)}</p>
        )}
        <div class={`receive-location${f.location ? " set" : ""}`} data-testid="receive-location">
          {f.location ? t("stock.putAwayAt", { location: f.location }) : t("stock.scanLocation")}
        </div>
        {missing.includes("expired") && <p class="error-text" role="alert">{t("stock.expiredCannotReceive")}</p>}
        <Button type="submit" block disabled={missing.length > 0} data-testid="receive-submit">{t("stock.receive")}</Button>
      </form>
    </main>
  );
}
