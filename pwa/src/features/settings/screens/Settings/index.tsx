import { useEffect, useState } from "preact/hooks";
import { clientConfig } from "../../../../app/config";
import { waitingCount } from "../../../../app/outbox";
import { navigate } from "../../../../app/router";
import {
  enablePush, forgetPushOnThisDevice, pushState, refreshPushState, sendTestPush,
} from "../../../../app/push";
import { signOut, user } from "../../../../app/session";
import { BUILD, checkForUpdate } from "../../../../app/update";
import { persisted } from "../../../../app/storage";
import { LOCALE_NAMES, LOCALES, locale, setLocale, t, type Locale } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { StatusChip } from "../../../../ui/StatusChip";
import { toast } from "../../../../ui/Toast";

/** Language, notifications, this device's storage and version, and signing out. */
export function Settings() {
  const [busy, setBusy] = useState(false);
  useEffect(() => void refreshPushState(), []);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      toast(String((err as Error).message ?? err), "bad");
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="page">
      <h1>{t("settings.title")}</h1>
      {user.value && (
        <p>{t("settings.signedInAs", { name: user.value.display_name || user.value.username })} ·{" "}
          {user.value.roles.map((r) => t(`role.${r}`)).join(", ")}</p>
      )}
      <div class="field">
        <label for="language">{t("settings.language")}</label>
        <select id="language" value={locale.value} data-testid="language"
          onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
          {(Object.keys(LOCALES) as Locale[]).map((l) => <option key={l} value={l}>{LOCALE_NAMES[l]}</option>)}
        </select>
      </div>
      <h2>{t("settings.notifications")}</h2>
      <p>{t(`push.${pushState.value}`)}</p>
      <div class="row">
        {pushState.value === "off" && <Button disabled={busy} onClick={() => void run(enablePush)}>{t("push.enable")}</Button>}
        {pushState.value === "on" && (
          <>
            <Button variant="secondary" disabled={busy}
              onClick={() => void run(async () => toast(t("push.testSent", { count: await sendTestPush() }), "good"))}>
              {t("push.test")}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => void run(forgetPushOnThisDevice)}>{t("push.disable")}</Button>
          </>
        )}
      </div>
      <p class="muted">{t("push.iosNote")}</p>
      <h2>{t("settings.device")}</h2>
      <dl class="facts">
        <dt>{t("settings.storage")}</dt>
        <dd><StatusChip of="storage" status={persisted.value ? "kept" : "may_clear"} /></dd>
        <dt>{t("settings.version")}</dt>
        <dd data-testid="version">{clientConfig.value?.version ?? "?"} · {BUILD}</dd>
      </dl>
      <div class="stack" style={{ marginTop: "16px" }}>
        <Button variant="secondary" block onClick={() => void checkForUpdate().then(() => toast(t("update.checked")))}>
          {t("update.check")}
        </Button>
        {waitingCount.value > 0 && <p class="note">{t("settings.waitingOnSignOut", { count: waitingCount.value })}</p>}
        <Button variant="danger" block data-testid="sign-out"
          onClick={() => void forgetPushOnThisDevice().then(signOut).then(() => navigate("/signin"))}>
          {t("settings.signOut")}
        </Button>
      </div>
    </main>
  );
}
