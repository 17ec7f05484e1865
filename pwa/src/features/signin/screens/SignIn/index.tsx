import { useEffect, useState } from "preact/hooks";
import { forgetKnownUser, knownUsers, sessionExpired } from "../../../../app/session";
import { t } from "../../../../i18n";
import { claimScans } from "../../../../scan/router";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { Button } from "../../../../ui/Button";
import { NumPad } from "../../../../ui/NumPad";
import {
  badgeSignIn, busy, chooseBadge, error, method, passwordSignIn, pendingBadge, prefillUsername,
} from "../../model";
import "./style.css";

/** Sign-in: scan a badge and type the PIN on a big pad, or user name and password. */
export function SignIn() {
  const [username, setUsername] = useState(prefillUsername.value);
  const [password, setPassword] = useState("");

  // On this screen a scan is a badge: a U label, or the bare badge code.
  useEffect(() => claimScans((parsed) => {
    if (parsed.type === "label" && parsed.kind !== "U") {
      rejectScan(t("signin.notABadge"));
      return true;
    }
    if (parsed.type === "gs1") {
      rejectScan(t("signin.notABadge"));
      return true;
    }
    acceptScan(t("signin.badgeRead"));
    method.value = "badge";
    chooseBadge(parsed.text);
    return true;
  }), []);

  useEffect(() => setUsername(prefillUsername.value), [prefillUsername.value]);

  return (
    <main class="signin">
      <h1>{t("signin.title")}</h1>
      {sessionExpired.value && <p class="error-text" role="alert">{t("signin.expired")}</p>}
      <div class="signin-tabs" role="tablist">
        <button role="tab" type="button" aria-selected={method.value === "badge"} data-testid="tab-badge"
          onClick={() => (method.value = "badge")}>{t("signin.badge")}</button>
        <button role="tab" type="button" aria-selected={method.value === "password"} data-testid="tab-password"
          onClick={() => (method.value = "password")}>{t("signin.password")}</button>
      </div>
      {error.value && <p class="error-text" role="alert" data-testid="signin-error">{error.value}</p>}
      {method.value === "badge" ? (
        <section class="signin-badge card">
          <div class="signin-badge-art" aria-hidden="true">▮▯▮▮▯▮</div>
          <p class="signin-big">{t("signin.scanBadge")}</p>
          <p class="muted">{t("signin.scanBadgeHint")}</p>
        </section>
      ) : (
        <form class="card" onSubmit={(e) => { e.preventDefault(); void passwordSignIn(username, password); }}>
          <div class="field">
            <label for="username">{t("signin.username")}</label>
            <input id="username" name="username" autocomplete="username" autocapitalize="off"
              value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
          </div>
          <div class="field">
            <label for="password">{t("signin.passwordLabel")}</label>
            <input id="password" name="password" type="password" autocomplete="current-password"
              value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
          </div>
          <Button type="submit" block disabled={busy.value} data-testid="signin-submit">{t("signin.submit")}</Button>
        </form>
      )}
      {knownUsers.value.length > 0 && (
        <section>
          <h2>{t("signin.recent")}</h2>
          <ul class="list" data-testid="known-users">
            {knownUsers.value.map((k) => (
              <li key={k.username} class="list-item">
                <button type="button" class="signin-known" onClick={() => {
                  if (k.badge) { method.value = "badge"; chooseBadge(k.badge); }
                  else { method.value = "password"; prefillUsername.value = k.username; }
                }}>
                  <strong>{k.display_name || k.username}</strong>
                  <span class="muted"> {k.badge ? t("signin.withBadge") : t("signin.withPassword")}</span>
                </button>
                <button type="button" class="signin-forget" aria-label={t("signin.forget", { name: k.username })}
                  onClick={() => forgetKnownUser(k.username)}>✕</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {pendingBadge.value && (
        <NumPad title={t("signin.pinFor", { badge: pendingBadge.value })} secret maxLength={6}
          onDone={(_, text) => { if (text) void badgeSignIn(text); else pendingBadge.value = null; }} />
      )}
    </main>
  );
}
