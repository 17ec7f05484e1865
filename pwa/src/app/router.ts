// A small history router on a signal: screens read `route.value`, links call navigate().
import { computed, signal } from "@preact/signals";

export const path = signal(globalThis.location?.pathname ?? "/");

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === path.value) return;
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  path.value = to;
  window.scrollTo?.(0, 0);
}

globalThis.addEventListener?.("popstate", () => {
  path.value = location.pathname;
});

export type Route =
  | { name: "home" }
  | { name: "signin" }
  | { name: "record"; kind: string; code: string }
  | { name: "label"; kind: string; code: string }
  | { name: "outbox" }
  | { name: "settings" }
  | { name: "scan" }
  | { name: "andon" }
  | { name: "plan" }
  | { name: "receive"; item: string | null }
  | { name: "pick"; code: string }
  | { name: "trace"; code: string }
  | { name: "move"; kind: string; code: string }
  | { name: "ship"; lot: string | null }
  | { name: "counts"; location: string | null }
  | { name: "count"; code: string }
  | { name: "reconcile"; location: string | null }
  | { name: "not-found" };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [head, kind, ...rest] = parts;
  const code = rest.join("/");
  switch (head?.toLowerCase()) {
    case undefined:
    case "home":
      return { name: "home" };
    case "signin":
      return { name: "signin" };
    case "r":
      return kind && code ? { name: "record", kind: kind.toUpperCase(), code } : { name: "not-found" };
    case "s":
      return kind && code ? { name: "label", kind: kind.toUpperCase(), code: code.toUpperCase() } : { name: "not-found" };
    case "outbox":
      return { name: "outbox" };
    case "settings":
      return { name: "settings" };
    case "scan":
      return { name: "scan" };
    case "andon":
      return { name: "andon" };
    case "plan":
      return { name: "plan" };
    case "receive":
      return { name: "receive", item: kind ? kind.toUpperCase() : null };
    case "pick":
      return kind ? { name: "pick", code: kind.toUpperCase() } : { name: "not-found" };
    case "trace":
      return kind ? { name: "trace", code: kind.toUpperCase() } : { name: "not-found" };
    case "move":
      return kind && code ? { name: "move", kind: kind.toLowerCase(), code: code.toUpperCase() } : { name: "not-found" };
    case "ship":
      return { name: "ship", lot: kind ? kind.toUpperCase() : null };
    case "counts":
      return { name: "counts", location: kind ? kind.toUpperCase() : null };
    case "count":
      return kind ? { name: "count", code: kind.toUpperCase() } : { name: "not-found" };
    case "reconcile":
      return { name: "reconcile", location: kind ? kind.toUpperCase() : null };
    default:
      return { name: "not-found" };
  }
}

export const route = computed(() => parseRoute(path.value));

export function recordPath(kind: string, code: string): string {
  return `/r/${encodeURIComponent(kind)}/${encodeURIComponent(code)}`;
}
