import { beforeEach, describe, expect, it } from "vitest";
import { outboxCommands } from "../../app/outbox";
import { parseScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { canIssue, current, lines, MOVES_PATH, pickList, pickScan, quantity, step, stepNote, workOrder } from "./picking";
import { EMPTY_STEP } from "./guidance";

const WO = "WO-2026-00042";

function issueCommand(over: Partial<OutboxCommand> = {}): OutboxCommand {
  return {
    id: "c1", seq: 1, method: "POST", path: MOVES_PATH, recordKey: "ISSUE:x", label: "", userId: 1, createdAt: 0,
    attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null,
    body: { kind: "issue", item_code: "RM-HOUS", lot_code: "LOT-H1", from_location_code: "RM-A-01-01",
      to_location_code: "L1-WIP", quantity: 4, work_order_code: WO },
    ...over,
  };
}

beforeEach(() => {
  workOrder.value = WO;
  pickList.value = {
    to_location_code: "L1-WIP",
    lines: [{ item_code: "RM-HOUS", required: "10", line_side: "0", to_pick: "10",
      suggested: [{ lot_code: "LOT-H1", location_code: "RM-A-01-01", quantity: "6" }] }],
  };
  step.value = EMPTY_STEP;
  quantity.value = 0;
  stepNote.value = null;
  outboxCommands.value = [];
});

describe("the picking screen's scans", () => {
  it("walk location, then lot, to a quantity ready to issue", async () => {
    expect(await pickScan(parseScan("HTTP://X/S/LOC/RM-A-01-01"))).toMatchObject({ ok: true });
    expect(step.value).toEqual({ item: "RM-HOUS", location: "RM-A-01-01", lot: null });
    expect(canIssue.value).toBe(false);
    expect(await pickScan(parseScan("HTTP://X/S/LOT/LOT-H1"))).toMatchObject({ ok: true });
    expect(quantity.value).toBe(6);
    expect(canIssue.value).toBe(true);
  });

  it("read a typed code as what the step waits for", async () => {
    await pickScan(parseScan("rm-a-01-01"));
    expect(step.value.location).toBe("RM-A-01-01");
    await pickScan(parseScan("lot-h1"));
    expect(step.value.lot).toBe("LOT-H1");
  });

  it("refuse a supplier label, and leave other labels to the router", async () => {
    expect(await pickScan(parseScan("(01)09506000131016(10)B1"))).toMatchObject({ ok: false });
    expect(await pickScan(parseScan(`HTTP://X/S/WO/${WO}`))).toBeNull();
  });
});

describe("issues waiting in the outbox", () => {
  it("count against what is left to pick; refused ones and other orders' do not", () => {
    outboxCommands.value = [
      issueCommand(),
      issueCommand({ id: "c2", state: "rejected" }),
      issueCommand({ id: "c3", body: { ...(issueCommand().body as object), work_order_code: "WO-OTHER" } }),
    ];
    expect(lines.value[0]!.remaining).toBe(6);
    expect(current.value?.open[0]?.quantity).toBe(2);
  });
});
