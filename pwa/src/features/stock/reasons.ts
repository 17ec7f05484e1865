// A lot's hold reason in words: the reason's name, which the server sends with the lot and each
// change in its history ("Quality hold", not "HOLD-QA"), and the inspector's note.

/** Why a lot is blocked or was changed: the reason's name (its code while the server's name
 * is not known yet, a block still in the outbox) and the note; either may be empty. */
export function holdWhy(name: string | null | undefined, note: string | null | undefined): string {
  return [name ?? "", note ?? ""].filter(Boolean).join(" · ");
}
