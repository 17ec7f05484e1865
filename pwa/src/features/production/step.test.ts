import { describe, expect, it } from "vitest";
import type { OutboxCommand } from "../../shared/outbox-types";
import { componentRows } from "./materials";
import { totalsAfter } from "./report";
import { completion, materialForReport, mayStart, missingMaterial, plannedAt, plannedElsewhere, refusedOf, safeLink } from "./step";

const cmd = (over: Partial<OutboxCommand>): OutboxCommand => ({
  id: "c1", seq: 1, method: "POST", path: "/api/v1/operations/7/reports", body: { good: 5, scrap: 0 }, recordKey: "OP:OP-1",
  label: "", userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null, ...over,
});

describe("completing says how much is left unreported", () => {
  it("counts good and scrap reported against what reached the step", () => {
    expect(completion({ good: 2, scrap: 0, available: 24 })).toEqual({ reported: 2, remaining: 24, total: 26 });
  });
  it("counts reports still in the outbox as reported, from the figures the form shows", () => {
    const figures = totalsAfter({ good: 2, scrap: 1, available: 23 }, { good: 3, scrap: 0 }, null);
    expect(completion(figures)).toEqual({ reported: 6, remaining: 20, total: 26 });
  });
  it("counts the report just accepted before the operation is read again", () => {
    const op = { good: 2, scrap: 0, available: 24, version: 3 };
    const figures = totalsAfter(op, { good: 0, scrap: 0 }, { good: 4, scrap: 0, version: 3 });
    expect(completion(figures)).toEqual({ reported: 6, remaining: 20, total: 26 });
  });
  it("keeps decimal quantities exact", () => {
    expect(completion({ good: 0.1, scrap: 0.2, available: 0.3 })).toEqual({ reported: 0.3, remaining: 0.3, total: 0.6 });
  });
});

describe("the planned workstation against this handheld's", () => {
  const op = { scheduled_workstation: null, workstation: "WS-103", workstation_type: null, status: "ready" };
  it("names the scheduler's workstation before the route's", () => {
    expect(plannedAt({ ...op, scheduled_workstation: "WS-104" })).toEqual({ workstation: "WS-104", type: null });
    expect(plannedAt({ ...op, workstation: null, workstation_type: "PACK" })).toEqual({ workstation: null, type: "PACK" });
  });
  it("asks only when both are known and differ", () => {
    expect(plannedElsewhere(op, "WS-101")).toBe("WS-103");
    expect(plannedElsewhere(op, "ws-103")).toBeNull();
    expect(plannedElsewhere(op, null)).toBeNull();
    expect(plannedElsewhere({ ...op, workstation: null, workstation_type: "PACK" }, "WS-101")).toBeNull();
  });
  it("does not ask about a done operation", () => {
    expect(plannedElsewhere({ ...op, status: "done" }, "WS-101")).toBeNull();
  });
});

describe("the operation's refused commands", () => {
  it("are the rejected ones of its record only", () => {
    const refused = cmd({ id: "r", state: "rejected" });
    const list = [cmd({ id: "p" }), refused, cmd({ id: "o", state: "rejected", recordKey: "OP:OP-2" })];
    expect(refusedOf(list, "OP:OP-1")).toEqual([refused]);
  });
});

describe("missing scan-to-consume material", () => {
  const [pcb] = componentRows([{ item_code: "RM-PCB", item_name: "PCB", unit: "PCS", required: "50", per_unit: "1", consumed: "0" }]);
  it("names what the units reported need beyond what was consumed", () => {
    expect(missingMaterial([pcb!], 50, [])).toEqual([{ item_code: "RM-PCB", unit: "PCS", consumed: 0, needed: 50 }]);
  });
  it("is nothing once the consumption covers the units", () => {
    expect(missingMaterial([{ ...pcb!, consumed: 5 }], 5, [])).toEqual([]);
    expect(missingMaterial([pcb!], 0, [])).toEqual([]);
  });
  it("counts consumptions waiting in the outbox, one unit's worth when they name no quantity", () => {
    const waiting = [{ id: "a", lot_code: "LOT-1", quantity: 3 }, { id: "b", lot_code: "LOT-2", quantity: null }];
    expect(missingMaterial([pcb!], 4, waiting)).toEqual([]);
    expect(missingMaterial([pcb!], 5, waiting)).toEqual([{ item_code: "RM-PCB", unit: "PCS", consumed: 4, needed: 5 }]);
  });
  it("leaves waiting consumptions out when the step scans several components (their item is not known)", () => {
    const [grease] = componentRows([{ item_code: "RM-GREASE", item_name: "Grease", unit: "KG", required: "0.15", per_unit: "0.015", consumed: "0.045" }]);
    const missing = missingMaterial([pcb!, grease!], 4, [{ id: "a", lot_code: "LOT-1", quantity: 4 }]);
    expect(missing).toEqual([
      { item_code: "RM-PCB", unit: "PCS", consumed: 0, needed: 4 },
      { item_code: "RM-GREASE", unit: "KG", consumed: 0.045, needed: 0.06 },
    ]);
  });
});

describe("the route step's attachment link", () => {
  const here = "https://takt.example/r/OP/OP-1";
  it("opens web links, a path on this server included", () => {
    expect(safeLink("https://docs.example/ws-103.pdf", here)).toBe("https://docs.example/ws-103.pdf");
    expect(safeLink("http://intranet/drawing.pdf", here)).toBe("http://intranet/drawing.pdf");
    expect(safeLink("/files/drawing.pdf", here)).toBe("https://takt.example/files/drawing.pdf");
  });
  it("opens nothing else", () => {
    expect(safeLink("javascript:alert(1)", here)).toBeNull();
    expect(safeLink(" JavaScript:alert(1)", here)).toBeNull();
    expect(safeLink("data:text/html,<script>alert(1)</script>", here)).toBeNull();
    expect(safeLink("file:///etc/passwd", here)).toBeNull();
    expect(safeLink("http://[bad", here)).toBeNull();
    expect(safeLink("", here)).toBeNull();
    expect(safeLink(null, here)).toBeNull();
  });
});

describe("Start is offered only to someone not working on the operation yet", () => {
  it("is offered on a ready or pending operation", () => {
    expect(mayStart({ status: "ready", operators: [] }, "operator")).toBe(true);
    expect(mayStart({ status: "pending", operators: [] }, "operator")).toBe(true);
  });
  it("is not offered to the reporter on the operation their report started", () => {
    expect(mayStart({ status: "running", operators: ["operator"] }, "operator")).toBe(false);
  });
  it("is offered on a running operation to someone joining it", () => {
    expect(mayStart({ status: "running", operators: ["operator"] }, "operator2")).toBe(true);
  });
  it("is not offered on a paused or done operation (Resume, Reopen are)", () => {
    expect(mayStart({ status: "paused", operators: [] }, "operator")).toBe(false);
    expect(mayStart({ status: "done", operators: [] }, "operator")).toBe(false);
  });
});

describe("the material warning is about the report about to be sent", () => {
  const [pcb] = componentRows([{ item_code: "RM-PCB", item_name: "PCB", unit: "PCS", required: "5", per_unit: "1", consumed: "0" }]);
  it("names what the report entered would leave missing", () => {
    expect(materialForReport([pcb!], { open: true, reported: 0, entering: 5 }, []))
      .toEqual([{ item_code: "RM-PCB", unit: "PCS", consumed: 0, needed: 5 }]);
  });
  it("says nothing once everything is reported, on a done or reopened operation with nothing to send", () => {
    expect(materialForReport([pcb!], { open: false, reported: 5, entering: 0 }, [])).toEqual([]);
    expect(materialForReport([pcb!], { open: true, reported: 5, entering: 0 }, [])).toEqual([]);
  });
});
