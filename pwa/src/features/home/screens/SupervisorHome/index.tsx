import { useEffect, useRef } from "preact/hooks";
import { watch } from "../../../../app/live";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { SupervisorCountLinks } from "../../../counting/screens/CountLinks";
import { ShipLink } from "../../../stock/screens/ShipPage";
import { StatusChip } from "../../../../ui/StatusChip";
import { num, type BoardStation } from "../../../production/api";
import { board, boardLine, chooseBoardLine, equipment, lines, reloadSoon } from "../../model";
import "./style.css";

function Station({ ws }: { ws: BoardStation }) {
  const plan = num(ws.plan_good);
  const behind = plan > 0 && num(ws.good_today) < plan;
  return (
    <article class={`card station station-${ws.state}`} data-testid={`station-${ws.code}`} data-state={ws.state}>
      <header class="station-head">
        <strong>{ws.code}</strong>
        <StatusChip of="workstation" status={ws.state} />
      </header>
      <p class="muted station-name">{ws.name}</p>
      {ws.current ? (
        <a class="station-op" href={recordPath("OP", ws.current.code)}
          onClick={(e) => { e.preventDefault(); navigate(recordPath("OP", ws.current!.code)); }}>
          <span class="station-order">{ws.current.work_order}<br /><span class="muted">{ws.current.item_code}</span></span>
          <span class="board-count nowrap" data-testid={`good-${ws.code}`}
            aria-label={t("board.currentCount", { good: num(ws.current.good), quantity: num(ws.current.quantity) })}>
            {num(ws.current.good)} / {num(ws.current.quantity)}
          </span>
        </a>
      ) : <p class="muted board-idle">{t("board.noOperation")}</p>}
      <dl class={`station-figures${behind ? " station-behind" : ""}`} data-testid={`today-${ws.code}`}>
        <div><dt>{t("board.goodToday")}</dt><dd class="nowrap" data-testid={`today-good-${ws.code}`}>{num(ws.good_today)}</dd></div>
        <div><dt>{t("board.plan")}</dt><dd class="nowrap" data-testid={`plan-${ws.code}`}>{plan}</dd></div>
        <div><dt>{t("board.scrapToday")}</dt><dd class="nowrap">{num(ws.scrap_today)}</dd></div>
      </dl>
    </article>
  );
}

/** The supervisor's line board (tablet or wall screen): each workstation's state, current
 * operation, output against plan, scrap and the line's late orders, live. The screen stays on. */
export function SupervisorHome() {
  const line = boardLine.value;
  useEffect(() => {
    if (!line) return;
    return watch(`line:${line}`, () => reloadSoon("supervisor"));
  }, [line]);

  // A wall board must not dim: hold a screen wake lock while the board is shown.
  useEffect(() => {
    let lock: { release(): Promise<void> } | null = null;
    const request = async () => {
      try {
        lock = (await (navigator as Navigator & { wakeLock?: { request(t: "screen"): Promise<{ release(): Promise<void> }> } })
          .wakeLock?.request("screen")) ?? null;
      } catch {
        lock = null; // not allowed (battery saver, no secure context): the board still works
      }
    };
    void request();
    const again = () => document.visibilityState === "visible" && void request();
    document.addEventListener("visibilitychange", again);
    return () => { document.removeEventListener("visibilitychange", again); void lock?.release(); };
  }, []);

  // Bring the chosen line's tab into view when the choice changes (or the tabs first appear),
  // not on every render: each live event reloads the board, and a supervisor scrolled down the
  // board must not be pulled back up to the tabs.
  const tabs = useRef<HTMLDivElement>(null);
  const hasTabs = lines.value.length > 1;
  useEffect(() => {
    tabs.current?.querySelector<HTMLElement>('[aria-selected="true"]')
      ?.scrollIntoView?.({ inline: "nearest", block: "nearest" });
  }, [line, hasTabs]);

  // Another line's board (the one shown before a tab was tapped) is never shown under this
  // line's tab: until this line's is read, the board is empty.
  const b = board.value && board.value.line === line ? board.value : null;
  const down = equipment.value.filter((e) => e.status === "down" && e.line === line);
  return (
    <section>
      <h1>{t("home.lineBoard")}</h1>
      <SupervisorCountLinks />
      <ShipLink />
      {hasTabs && (
        <div ref={tabs} class="choices board-lines" role="tablist" aria-label={t("board.lines")} data-testid="board-lines">
          {lines.value.map((l) => (
            <button key={l.code} role="tab" type="button" class="choice" aria-selected={l.code === line}
              onClick={() => chooseBoardLine(l.code)}><strong>{l.code}</strong> <span class="board-line-name">{l.name}</span></button>
          ))}
        </div>
      )}
      {down.length > 0 && <p class="error-text">{t("home.machinesDownList", { count: down.length, codes: down.map((e) => e.code).join(t("ui.listSeparator")) })}</p>}
      <div class="board" data-testid="line-board" data-line={line ?? ""} aria-busy={!b}>
        {!b && <p class="muted">{t("ui.loading")}</p>}
        {(b?.workstations ?? []).map((ws) => <Station key={ws.code} ws={ws} />)}
      </div>
      {b && b.late_orders.length > 0 && (
        <>
          <h2 class="error-text">{t("board.late", { count: b.late_orders.length })}</h2>
          <ul class="list" data-testid="late-orders">
            {b.late_orders.map((wo) => (
              <li key={wo.code}>
                <a class="list-item late" href={recordPath("WO", wo.code)}
                  onClick={(e) => { e.preventDefault(); navigate(recordPath("WO", wo.code)); }}>
                  <span><strong>{wo.code}</strong> · {wo.item_code}</span>
                  <span class="nowrap">{num(wo.good)} / {num(wo.quantity)}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
