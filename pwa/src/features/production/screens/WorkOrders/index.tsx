import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../../../api/errors";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { StatusChip, statusWord } from "../../../../ui/StatusChip";
import { num, type WorkOrder } from "../../api";
import {
  finishedItems, importCsv, importProgress, loadOrders, orders, ordersTotal, planCommand, planError,
  statusFilter, type ItemChoice,
} from "../../planning";
import "./style.css";

const FILTERS = ["open", "draft", "released", "in_progress", "on_hold", "completed", "closed"];

function NewOrder({ onClose }: { onClose: () => void }) {
  const [items, setItems] = useState<ItemChoice[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void finishedItems().then(setItems, () => setItems([])), []);
  const create = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const due = String(data.get("due_at") ?? "");
    try {
      const wo = await planCommand<WorkOrder>("/api/v1/work-orders", {
        item_code: data.get("item_code"), quantity: Number(data.get("quantity")),
        priority: Number(data.get("priority")), ...(due ? { due_at: new Date(due).toISOString() } : {}),
      });
      onClose();
      navigate(recordPath("WO", wo.code));
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : t("signin.offline"));
    }
  };
  return (
    <Sheet title={t("planning.newOrder")} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void create(e.currentTarget); }} data-testid="new-order">
        {error && <p class="error-text" role="alert">{error}</p>}
        <div class="field">
          <label for="wo-item">{t("planning.item")}</label>
          <select id="wo-item" name="item_code" required>
            {items.map((i) => <option key={i.code} value={i.code}>{i.code} · {i.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="wo-qty">{t("planning.quantity")}</label>
          <input id="wo-qty" name="quantity" type="number" min="1" step="1" inputMode="numeric" required />
        </div>
        <div class="field">
          <label for="wo-due">{t("planning.due")}</label>
          <input id="wo-due" name="due_at" type="datetime-local" />
        </div>
        <div class="field">
          <label for="wo-priority">{t("planning.priority")}</label>
          <input id="wo-priority" name="priority" type="number" min="1" max="9" value="5" inputMode="numeric" />
        </div>
        <Button type="submit" block>{t("planning.create")}</Button>
      </form>
    </Sheet>
  );
}

/** The planner's work orders: filter by status, late ones in red, create one, import many. */
export function WorkOrders() {
  const [creating, setCreating] = useState(false);
  useEffect(() => void loadOrders(), [statusFilter.value]);
  const progress = importProgress.value;
  return (
    <section class="work-orders">
      <div class="row">
        <Button onClick={() => setCreating(true)} data-testid="new-order-button">{t("planning.newOrder")}</Button>
        <label class="btn btn-secondary wo-import">
          {t("planning.importCsv")}
          <input type="file" accept=".csv,text/csv" class="visually-hidden" data-testid="import-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void file.text().then(importCsv);
              e.currentTarget.value = "";
            }} />
        </label>
        <Button variant="secondary" onClick={() => navigate("/plan")}>{t("planning.gantt")}</Button>
      </div>
      {progress && (
        <div class="wo-import-progress" data-testid="import-progress" data-done={progress.done} data-total={progress.total}>
          <progress max={progress.total} value={progress.done} />
          <span>{t("planning.imported", { done: progress.done, total: progress.total })}</span>
          {progress.error && <p class="error-text" role="alert">{progress.error}</p>}
        </div>
      )}
      <div class="home-roles" role="tablist">
        {FILTERS.map((f) => (
          <button key={f} role="tab" type="button" aria-selected={statusFilter.value === f}
            onClick={() => (statusFilter.value = f)}>{f === "open" ? t("planning.open") : statusWord("work_order", f)}</button>
        ))}
      </div>
      {planError.value && <p class="error-text" role="alert">{planError.value}</p>}
      <p class="muted">{t("planning.count", { shown: orders.value.length, total: ordersTotal.value })}</p>
      <ul class="list" data-testid="work-orders">
        {orders.value.map((wo) => (
          <li key={wo.code}>
            <a class={`list-item${wo.late ? " late" : ""}`} href={recordPath("WO", wo.code)} data-late={wo.late}
              onClick={(e) => { e.preventDefault(); navigate(recordPath("WO", wo.code)); }}>
              <span>
                <strong>{wo.code}</strong> · {wo.item_code}<br />
                <span class={wo.late ? "error-text" : "muted"}>
                  {num(wo.good)} / {num(wo.quantity)}
                  {wo.due_at && ` · ${t("production.due", { when: new Date(wo.due_at).toLocaleDateString() })}`}
                  {wo.late && ` · ${t("production.late")}`}
                </span>
              </span>
              <StatusChip of="work_order" status={wo.status} />
            </a>
          </li>
        ))}
      </ul>
      {creating && <NewOrder onClose={() => { setCreating(false); void loadOrders(); }} />}
    </section>
  );
}
