import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError } from "../../../../api/errors";
import { fetchOrSaved } from "../../../../app/saved";
import { recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { StatusChip } from "../../../../ui/StatusChip";
import { getTrace, num, type Direction, type TraceNode } from "../../api";
import { Go, originText } from "../../parts";
import "./style.css";

const direction = signal<Direction>("backward");
const tree = signal<{ key: string; root: TraceNode; savedAt: number | null } | null>(null);
const traceError = signal<string | null>(null);

async function load(code: string, dir: Direction): Promise<void> {
  const key = `${code}:${dir}`;
  traceError.value = null;
  try {
    const { value, savedAt } = await fetchOrSaved(`trace:${key}`, () => getTrace(code, dir));
    if (`${code}:${direction.value}` === key) tree.value = { key, root: value, savedAt };
  } catch (err) {
    if (`${code}:${direction.value}` !== key) return;
    tree.value = null;
    traceError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  }
}

/** Where a lot came from, or went: supplier and receipt for bought lots, work order for made
 * ones, and how much of each went into (or came from) the lot above it. */
function Node({ node, depth }: { node: TraceNode; depth: number }) {
  const source = node.receipt
    ? t(node.supplier_code ? "stock.traceReceivedFrom" : "stock.traceReceived",
      { supplier: node.supplier_code ?? "", batch: node.supplier_lot || "—", po: node.receipt.po_reference || node.receipt.code })
    : node.work_order_code ? t("stock.traceMade", { wo: node.work_order_code }) : originText(node.origin);
  return (
    <li class="trace-node" data-testid="trace-node" data-lot={node.lot_code} data-depth={depth}>
      <div class="trace-card">
        <div class="trace-head">
          <Go to={recordPath("LOT", node.lot_code)}><strong>{node.lot_code}</strong></Go>
          <StatusChip of="lot" status={node.quality_status} />
        </div>
        <div>{node.item_code} · {node.item_name}</div>
        <div class="muted">
          {source}
          {node.work_order_code && !node.receipt && <> · <Go to={recordPath("WO", node.work_order_code)}>{t("kind.WO")}</Go></>}
        </div>
        {node.quantity !== null && (
          <div class="trace-qty">{t(`stock.traceQty_${direction.value}`, { quantity: num(node.quantity), document: node.document_code ?? "—" })}</div>
        )}
      </div>
      {node.children.length > 0 && (
        <ul class="trace-children">
          {node.children.map((c, i) => <Node key={`${c.lot_code}-${i}`} node={c} depth={depth + 1} />)}
        </ul>
      )}
    </li>
  );
}

/** A lot's genealogy as an indented tree: backward to its components and suppliers, forward
 * to the work orders and lots it went into. */
export function TracePage({ code }: { code: string }) {
  const dir = direction.value;
  useEffect(() => void load(code, dir), [code, dir]);
  const shown = tree.value?.key === `${code}:${dir}` ? tree.value : null;
  return (
    <main class="page trace" data-testid="trace" data-direction={dir}>
      <p class="muted trace-kind">{t("stock.trace")}</p>
      <h1><Go to={recordPath("LOT", code)}>{code}</Go></h1>
      <div class="trace-toggle" role="tablist" aria-label={t("stock.traceDirection")}>
        {(["backward", "forward"] as const).map((d) => (
          <button key={d} type="button" role="tab" aria-selected={d === dir} class={`trace-tab${d === dir ? " on" : ""}`}
            data-testid={`trace-${d}`} onClick={() => (direction.value = d)}>
            {t(`stock.trace_${d}`)}
          </button>
        ))}
      </div>
      <p class="muted">{t(`stock.traceHint_${dir}`)}</p>
      {shown?.savedAt != null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {shown ? (
        <>
          <ul class="trace-tree"><Node node={shown.root} depth={0} /></ul>
          {shown.root.children.length === 0 && <p class="muted" data-testid="trace-empty">{t(`stock.traceEmpty_${dir}`)}</p>}
        </>
      ) : traceError.value ? <p class="error-text" role="alert">{traceError.value}</p> : <p>{t("ui.loading")}</p>}
    </main>
  );
}
