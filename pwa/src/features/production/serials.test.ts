import { describe, expect, it } from "vitest";
import type { OutboxCommand } from "../../shared/outbox-types";
import { pendingSerials, serialCount, serialOfScan, serialsPath, serialVerdict } from "./serials";

const cmd = (id: string, serial: string, over: Partial<OutboxCommand> = {}): OutboxCommand => ({
  id, seq: 1, method: "POST", path: serialsPath(3), body: { serial }, recordKey: `SERIAL:OP-1:${id}`, label: "",
  userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null, ...over,
});

describe("which scans are serials", () => {
  it("takes serial labels and hand-typed serials", () => {
    expect(serialOfScan({ type: "label", kind: "SN", code: "SN-2026-000001", text: "" })).toBe("SN-2026-000001");
    expect(serialOfScan({ type: "code", code: "SN-2026-000001", text: "" })).toBe("SN-2026-000001");
  });
  it("leaves lot and operation labels to others", () => {
    expect(serialOfScan({ type: "label", kind: "LOT", code: "LOT-1", text: "" })).toBeNull();
    expect(serialOfScan({ type: "label", kind: "OP", code: "OP-1", text: "" })).toBeNull();
  });
});

describe("a serial scanned twice", () => {
  const commands = [cmd("a", "SN-1"), cmd("b", "SN-2", { state: "rejected" }), cmd("c", "SN-3", { path: serialsPath(4) })];
  it("is held back while its first scan still waits to be sent", () => {
    const pending = pendingSerials(commands, 3);
    expect(pending).toEqual(["SN-1"]);
    expect(serialVerdict("SN-1", pending)).toEqual({ kind: "waiting" });
  });
  it("is sent when the server has answered the first: only the server knows every handheld's scans", () => {
    expect(serialVerdict("SN-2", pendingSerials(commands, 3))).toEqual({ kind: "send" });
  });
});

describe("the running count", () => {
  it("is what the server counted plus what still waits", () => {
    expect(serialCount(4, ["SN-9"])).toBe(5);
    expect(serialCount(0, [])).toBe(0);
  });
});
