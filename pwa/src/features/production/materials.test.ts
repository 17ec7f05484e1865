import { describe, expect, it } from "vitest";
import type { OutboxCommand } from "../../shared/outbox-types";
import type { StationComponent } from "./api";
import {
  componentFor, componentRows, consumePath, consumeStep, defaultConsumeQuantity, lotOfScan, pendingConsumes,
} from "./materials";

const PCB: StationComponent = { item_code: "RM-PCB", item_name: "PCB", unit: "PCS", required: "5", per_unit: "1", consumed: "2" };
const GREASE: StationComponent = { item_code: "RM-GREASE", item_name: "Grease", unit: "KG", required: "0.15", per_unit: "0.015", consumed: "0.045" };

const cmd = (over: Partial<OutboxCommand>): OutboxCommand => ({
  id: "c1", seq: 1, method: "POST", path: consumePath(7), body: { lot_code: "LOT-1", quantity: 2 }, recordKey: "CONSUME:OP-1:x",
  label: "", userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null, ...over,
});

describe("a component's rows show required against consumed", () => {
  it("keeps decimal quantities exact and never goes below zero still to consume", () => {
    const [pcb, grease] = componentRows([PCB, GREASE, { ...PCB, item_code: "RM-X", consumed: "9" }]);
    expect(pcb).toMatchObject({ required: 5, consumed: 2, remaining: 3, perUnit: 1 });
    expect(grease!.remaining).toBe(0.105);
    expect(componentRows([{ ...PCB, consumed: "9" }])[0]!.remaining).toBe(0);
  });
});

describe("what one scan consumes by default", () => {
  const [pcb, grease] = componentRows([PCB, GREASE]);
  it("is what the report being entered needs, at least one unit's worth", () => {
    expect(defaultConsumeQuantity(pcb!, 0)).toBe(1);
    expect(defaultConsumeQuantity(grease!, 3)).toBe(0.045);
  });
  it("is never more than the order still needs while it needs any", () => {
    expect(defaultConsumeQuantity(pcb!, 10)).toBe(3);
    const done = componentRows([{ ...PCB, consumed: "5" }])[0]!;
    expect(defaultConsumeQuantity(done, 2)).toBe(2);
  });
  it("steps by one unit's worth when that is a fraction", () => {
    expect(consumeStep(grease!)).toBe(0.015);
    expect(consumeStep(pcb!)).toBe(1);
    expect(consumeStep(null)).toBe(1);
  });
});

describe("the component a scanned lot is consumed as", () => {
  const rows = componentRows([PCB, GREASE]);
  it("is the line of the lot's item, none for another item", () => {
    expect(componentFor(rows, "RM-GREASE")?.item_code).toBe("RM-GREASE");
    expect(componentFor(rows, "RM-SCREW")).toBeNull();
  });
  it("is the only line when the lot's item is not known here, else none", () => {
    expect(componentFor(rows.slice(0, 1), null)?.item_code).toBe("RM-PCB");
    expect(componentFor(rows, null)).toBeNull();
  });
});

describe("which scans consume a lot", () => {
  it("takes lot labels and hand-typed lot codes, nothing else", () => {
    expect(lotOfScan({ type: "label", kind: "LOT", code: "LOT-2026-000004", text: "" })).toBe("LOT-2026-000004");
    expect(lotOfScan({ type: "code", code: "LOT-2026-000004", text: "" })).toBe("LOT-2026-000004");
    expect(lotOfScan({ type: "label", kind: "OP", code: "OP-1", text: "" })).toBeNull();
    expect(lotOfScan({ type: "code", code: "WS-01", text: "" })).toBeNull();
    expect(lotOfScan({ type: "gs1", gtin: null, lot: "B1", expiry: null, serial: null, text: "" })).toBeNull();
  });
});

describe("consumptions waiting in the outbox", () => {
  it("are this operation's, refused ones excluded", () => {
    const commands = [
      cmd({}),
      cmd({ id: "c2", body: { lot_code: "LOT-2" } }),
      cmd({ id: "c3", state: "rejected" }),
      cmd({ id: "c4", path: consumePath(8) }),
    ];
    expect(pendingConsumes(commands, 7)).toEqual([
      { id: "c1", lot_code: "LOT-1", quantity: 2 }, { id: "c2", lot_code: "LOT-2", quantity: null },
    ]);
  });
});
