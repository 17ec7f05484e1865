// Sign-in state: which way in (badge or password), the badge waiting for its PIN, errors.
import { signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { signInWithBadge, signInWithPassword } from "../../app/session";
import { t } from "../../i18n";

export type Method = "badge" | "password";

export const method = signal<Method>("badge");
export const pendingBadge = signal<string | null>(null);
export const prefillUsername = signal("");
export const error = signal<string | null>(null);
export const busy = signal(false);

/** Where to go after signing in (a label link opened before sign-in, say); the shell goes
 * there as soon as someone is signed in. */
export const afterSignIn = signal<string>("/");

function explain(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail;
  return t("signin.offline");
}

async function attempt(work: () => Promise<unknown>): Promise<void> {
  busy.value = true;
  error.value = null;
  try {
    await work();
    pendingBadge.value = null;
  } catch (err) {
    error.value = explain(err);
  } finally {
    busy.value = false;
  }
}

export function passwordSignIn(username: string, password: string): Promise<void> {
  return attempt(() => signInWithPassword(username.trim(), password));
}

export function badgeSignIn(pin: string): Promise<void> {
  const badge = pendingBadge.value;
  if (!badge) return Promise.resolve();
  return attempt(() => signInWithBadge(badge, pin)).then(() => {
    if (error.value) pendingBadge.value = null;
  });
}

export function chooseBadge(badge: string): void {
  error.value = null;
  pendingBadge.value = badge;
}
