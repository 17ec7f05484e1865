// How close a lot is to its expiry date, for the highlight on the lot and stock screens.

/** Days before expiry from which a lot is shown as near expiry (use it first, check it). */
export const NEAR_EXPIRY_DAYS = 30;

export type ExpiryState = "none" | "ok" | "near" | "expired";

/** Today as yyyy-mm-dd in the device's time zone (expiry dates are plain dates). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole days from `today` to `date` (both yyyy-mm-dd); negative once past. */
export function daysUntil(date: string, today: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

export function expiryState(expiresOn: string | null | undefined, today: string = localToday()): ExpiryState {
  if (!expiresOn) return "none";
  const days = daysUntil(expiresOn, today);
  if (days < 0) return "expired";
  return days <= NEAR_EXPIRY_DAYS ? "near" : "ok";
}
