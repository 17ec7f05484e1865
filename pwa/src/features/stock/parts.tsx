// Small pieces the stock screens share.
import type { ComponentChildren } from "preact";
import { formatDate } from "../../app/dates";
import { navigate } from "../../app/router";
import { t } from "../../i18n";
import { expiryState } from "./expiry";
import "./parts.css";

/** A link inside the app that does not reload the page. */
export function Go({ to, children, testId, big }: { to: string; children: ComponentChildren; testId?: string; big?: boolean }) {
  // `big`: a 48 px target for a gloved thumb, for a link that is the next thing to tap (the
  // lot a receipt or a move just made), not a word inside a sentence.
  return <a href={to} class={big ? "go-big" : undefined} data-testid={testId}
    onClick={(e) => { e.preventDefault(); navigate(to); }}>{children}</a>;
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
