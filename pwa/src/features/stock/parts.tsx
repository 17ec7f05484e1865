// Small pieces the stock screens share.
import type { ComponentChildren } from "preact";
import { formatDate } from "../../app/dates";
import { navigate } from "../../app/router";
import { t } from "../../i18n";
import { expiryState } from "./expiry";
import "./parts.css";

/** A link inside the app that does not reload the page. */
export function Go({ to, children, testId }: { to: string; children: ComponentChildren; testId?: string }) {
  return <a href={to} data-testid={testId} onClick={(e) => { e.preventDefault(); navigate(to); }}>{children}</a>;
}

/** An expiry date with its state: near expiry and expired stand out. */
export function Expiry({ date }: { date: string | null | undefined }) {
  const state = expiryState(date);
  if (state === "none" || !date) return <span>—</span>;
  return (
    <span class={`expiry expiry-${state}`} data-testid="expiry" data-state={state}>
      {formatDate(date)}{state === "near" && ` · ${t("stock.nearExpiry")}`}{state === "expired" && ` · ${t("stock.expired")}`}
    </span>
  );
}

/** Where a lot came from, in words (an origin this version does not know shows as is). */
export function originText(origin: string): string {
  const key = `stock.origin_${origin}`;
  const text = t(key);
  return text === key ? origin : text;
}
