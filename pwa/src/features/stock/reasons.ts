// A lot's hold reason in words: the reason's name, not its code ("Quality hold", not
// "HOLD-QA"). Names come from the reason codes list (saved on the device for dead zones,
// inactive reasons too: a lot blocked last year keeps its reason's name); a code the list does
// not know shows as it is.
import type { ReasonRow } from "./api";

export type ReasonNames = ReadonlyMap<string, string>;

export const reasonNameMap = (rows: readonly ReasonRow[]): ReasonNames =>
  new Map(rows.map((r) => [r.code, r.name]));

/** The name of a reason code, the server's own name first (when the read carries one). */
export function reasonName(code: string | null | undefined, names: ReasonNames, fromServer?: string | null): string {
  if (!code) return "";
  return fromServer || names.get(code) || code;
}

/** Why a lot is blocked or was changed: the reason's name and the note, either may be empty. */
export function holdWhy(code: string | null | undefined, note: string | null | undefined, names: ReasonNames,
  fromServer?: string | null): string {
  return [reasonName(code, names, fromServer), note ?? ""].filter(Boolean).join(" · ");
}
