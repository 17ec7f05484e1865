import { useEffect, useState } from "preact/hooks";
import { watch } from "../../../../app/live";
import { locale, t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { num, type Operation } from "../../api";
import { undoDeadline, type ReportRow } from "../../report";
import {
  actionFor, closeReporting, figures, history, openReporting, rankedReasons, reader, reloadHistory, undoSeconds, voidReport, voidsWaiting, type SentState, type Told,
} from "../../reporting";
import "./style.css";

/** Why a report is undone: one tap each, sent as the void's reason in the reader's words. */
const UNDO_REASONS = ["wrongQuantity", "wrongReason", "wrongOperation", "reportedTwice"] as const;

/** Now, again at `until` (an undo window closing) or every 30 s: buttons go when time is up. */
function useNow(until: number | null = null): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const wait = until !== null && until > now ? until - now + 50 : 30_000;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(wait, 30_000));
    return () => clearTimeout(timer);
  }, [now, until]);
  return now;
}

const reasonName = (code: string | null) => (code ? rankedReasons.value.find((r) => r.code === code)?.name ?? code : "");

function quantities(good: number | string, scrap: number | string, reason: string | null): string {
  const parts = [t("reporting.goodCount", { count: num(good) })];
  if (num(scrap) !== 0) parts.push(t("reporting.scrapCount", { count: num(scrap) }) + (reason ? ` (${reasonName(reason)})` : ""));
  return parts.join(" · ");
}

/** What the last report did, in view after Send, with the new totals and its undo. A refused
 * report is not told here (the form leaves it out): the operation's refusal card tells it once,
 * with its sentence and Discard. */
export function ReportConfirmation({ sent, onUndo }: { sent: Told; onUndo: (id: number) => void }) {
  const deadline = sent.reportedAt ? undoDeadline({ reported_at: sent.reportedAt }, undoSeconds.value) : null;
  const now = useNow(deadline);
  const what = quantities(sent.good, sent.scrap, sent.reason || null);
  const lines: Record<Exclude<SentState, "refused">, string> = {
    waiting: t("reporting.sentWaiting", { what }),
    accepted: t("reporting.sentDone", { what }),
    undoing: t("reporting.undoWaiting"),
    undone: t("reporting.undone", { what }),
    undoRefused: t("reporting.undoRefused", { detail: sent.detail }),
  };
  const line = lines[sent.state];
  const total = figures.value;
  const mayUndo = sent.state === "accepted" && sent.reportId !== null && deadline !== null && now < deadline;
  const bad = sent.state === "undoRefused";
  return (
    <div class={`report-confirm${bad ? " report-confirm-bad" : ""}`} role="status" data-testid="report-confirmation" data-state={sent.state}>
      <p class="report-confirm-what">{line}</p>
      <p class="report-confirm-totals" data-testid="report-totals">
        {t("reporting.totals", { good: total.good, scrap: total.scrap, available: total.available })}
      </p>
      {mayUndo && (
        <Button variant="secondary" block data-testid="report-undo" onClick={() => onUndo(sent.reportId!)}>
          {t("reporting.undo")}
        </Button>
      )}
      {sent.state === "accepted" && !mayUndo && deadline !== null && (
        <p class="muted">{t("reporting.undoOver")}</p>
      )}
    </div>
  );
}

/** Undo or void a report: the reason is one tap, and that tap sends it. */
export function UndoSheet({ reportId, opCode, supervisorVoid = false, onClose }: {
  reportId: number; opCode: string; supervisorVoid?: boolean; onClose: () => void;
}) {
  return (
    <Sheet title={t(supervisorVoid ? "reporting.voidTitle" : "reporting.undoTitle", { id: reportId })} onClose={onClose}>
      <p class="muted">{t("reporting.undoWhy")}</p>
      <div class="stack" data-testid="undo-reasons">
        {UNDO_REASONS.map((key) => (
          <Button key={key} block variant="secondary" data-testid={`undo-${key}`}
            onClick={() => { onClose(); void voidReport(reportId, opCode, t(`reporting.undoReasons.${key}`)); }}>
            {t(`reporting.undoReasons.${key}`)}
          </Button>
        ))}
      </div>
    </Sheet>
  );
}

function when(iso: string): string {
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return at.toLocaleString(locale.value, today
    ? { hour: "2-digit", minute: "2-digit" }
    : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function describe(row: ReportRow): string {
  if (row.kind === "void") return t("reporting.voidRow", { id: row.voids ?? "", reason: row.note });
  if (row.kind === "release_hold") return t("reporting.releaseRow", { count: -num(row.held) });
  const rework = num(row.rework) > 0 ? ` · ${t("reporting.reworkCount", { count: num(row.rework) })}` : "";
  return quantities(row.good, row.scrap, row.scrap_reason) + rework;
}

/** The operation's reports on the handheld, newest first: own reports undone inside the
 * window, any report voided by a supervisor. */
export function ReportHistory({ op }: { op: Operation }) {
  const [voiding, setVoiding] = useState<{ id: number; supervisor: boolean } | null>(null);
  const now = useNow();
  // Open on its own too: a done operation shows its history (and a supervisor's Void) without
  // the report form.
  useEffect(() => {
    void openReporting(op.id, op.line);
    return () => closeReporting();
  }, [op.id, op.line]);
  useEffect(() => watch(`op:${op.id}`, () => void reloadHistory(op.id)), [op.id]);
  const rows = history.value;
  return (
    <section class="card report-history" data-testid="report-history">
      <h2>{t("reporting.history")}</h2>
      {rows.length === 0 ? <p class="muted">{t("reporting.noReports")}</p> : (
        <ul class="report-rows">
          {rows.map((row) => {
            const action = actionFor(row, now);
            const waiting = voidsWaiting.value.has(row.id);
            return (
              <li key={row.id} class={`report-row${row.voided_by !== null ? " report-row-voided" : ""}`}
                data-testid={`report-row-${row.id}`} data-kind={row.kind} data-voided={row.voided_by !== null}>
                <div class="report-row-text">
                  <span class="report-row-what">{describe(row)}</span>
                  <span class="muted">
                    {when(row.reported_at)} · {row.username}
                    {row.voided_by !== null && ` · ${t("reporting.voided")}`}
                    {waiting && ` · ${t("reporting.undoWaiting")}`}
                  </span>
                </div>
                {action && (
                  <Button variant="secondary" data-testid={`${action}-${row.id}`}
                    onClick={() => setVoiding({ id: row.id, supervisor: action === "void" })}>
                    {t(action === "undo" ? "reporting.undo" : "reporting.void")}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {reader.value.supervisor && <p class="muted">{t("reporting.supervisorMay")}</p>}
      {voiding && (
        <UndoSheet reportId={voiding.id} opCode={op.code} supervisorVoid={voiding.supervisor} onClose={() => setVoiding(null)} />
      )}
    </section>
  );
}
