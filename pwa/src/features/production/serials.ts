// Reporting output by serial at the order's last output step, as rules without state: which
// scan is a serial, what a second scan of one means, and the running count the operator sees.
// The panel's state and commands are in station.ts.
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";

export const serialsPath = (opId: number) => `/api/v1/operations/${opId}/serials`;

/** The serial a scan names, or null when the scan is not a serial. */
export function serialOfScan(parsed: ParsedScan): string | null {
  if (parsed.type === "label" && parsed.kind === "SN") return parsed.code;
  // A serial typed by hand on the scan bar.
  if (parsed.type === "code" && parsed.code.startsWith("SN-")) return parsed.code;
  return null;
}

/** Serials of this operation scanned on this device that the server has not answered yet. */
export function pendingSerials(commands: OutboxCommand[], opId: number): string[] {
  const path = serialsPath(opId);
  return commands
    .filter((c) => c.path === path && c.state !== "rejected")
    .map((c) => String((c.body as { serial?: string } | null)?.serial ?? ""));
}

export type SerialVerdict =
  | { kind: "send" }
  /** Scanned again while the first scan still waits: sending it would only be refused. */
  | { kind: "waiting" };

/** What scanning `serial` does now. A serial the server already has is sent anyway: only the
 * server knows every scan of every handheld, and its refusal says where it was reported. */
export function serialVerdict(serial: string, pending: string[]): SerialVerdict {
  return pending.includes(serial) ? { kind: "waiting" } : { kind: "send" };
}

/** The running count: units reported by serial at this step, with those still on their way. */
export function serialCount(reported: number, pending: string[]): number {
  return reported + pending.length;
}
