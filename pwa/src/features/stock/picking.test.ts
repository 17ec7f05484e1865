import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it } from "vitest";
import { outboxCommands } from "../../app/outbox";
import { parseScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { listCommands, removeCommand } from "../../outbox/outbox";
import {
  canIssue, chosenItem, current, issue, lines, localIssues, MOVES_PATH, pickList, pickScan, quantity, skipped, step, stepNote, workOrder,
} from "./picking";
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

beforeEach(async () => {
  for (const c of await listCommands()) await removeCommand(c.id);
  skipped.value = new Set();
  localIssues.value = [];
  chosenItem.value = null;
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

  it("take a suggested lot scanned before its location from the one place the list names", async () => {
    expect(await pickScan(parseScan("HTTP://X/S/LOT/LOT-H1"))).toMatchObject({ ok: true });
    expect(step.value).toEqual({ item: "RM-HOUS", location: "RM-A-01-01", lot: "LOT-H1" });
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

describe("walking a list", () => {
  const AT = "RM-A-02-01";
  /** The outbox as the app's refresh shows it once the issues are queued. */
  async function queued(): Promise<void> {
    outboxCommands.value = await listCommands();
  }

  beforeEach(() => {
    pickList.value = {
      to_location_code: "L1-WIP",
      lines: [
        { item_code: "RM-BEARING", required: "60", line_side: "0", to_pick: "60",
          suggested: [{ lot_code: null, location_code: AT, quantity: "60" }] },
        { item_code: "RM-GREASE", required: "0.45", line_side: "0", to_pick: "0.45",
          suggested: [{ lot_code: "LOT-G", location_code: AT, quantity: "0.45" }] },
        { item_code: "RM-CARTON", required: "30", line_side: "0", to_pick: "30",
          suggested: [{ lot_code: null, location_code: "RM-B-02-01", quantity: "30" }] },
      ],
    };
    step.value = { item: null, location: null, lot: null };
  });

  it("needs one location scan for the lines at one location, and moves on after each issue", async () => {
    expect(current.value?.item_code).toBe("RM-BEARING");
    await pickScan(parseScan(`HTTP://X/S/LOC/${AT}`));
    expect(quantity.value).toBe(60);
    await issue();
    await queued();
    // The grease is at the same location: it waits for its lot, not for the location again.
    expect(current.value?.item_code).toBe("RM-GREASE");
    expect(step.value).toEqual({ item: "RM-GREASE", location: AT, lot: null });
    await pickScan(parseScan("HTTP://X/S/LOT/LOT-G"));
    expect(quantity.value).toBe(0.45);
    await issue();
    await queued();
    // The cartons are elsewhere: their location is the next scan.
    expect(current.value?.item_code).toBe("RM-CARTON");
    expect(step.value).toEqual({ item: "RM-CARTON", location: null, lot: null });
  });

  it("moves on by itself after a short pick, and does not suggest that place again", async () => {
    await pickScan(parseScan(`HTTP://X/S/LOC/${AT}`));
    quantity.value = 40; // only 40 bearings were there
    await issue();
    expect(current.value?.item_code).toBe("RM-GREASE");
    expect(step.value.location).toBe(AT);
    await queued();
    const bearings = lines.value.find((l) => l.item_code === "RM-BEARING")!;
    expect(bearings).toMatchObject({ remaining: 20, open: [] });
    expect(current.value?.item_code).toBe("RM-GREASE");
  });
});
