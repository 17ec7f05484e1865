import { t } from "../../../../i18n";

/** The Andon shortcut's landing. Raising and escalating calls arrive with the andon module;
 * until then this page says so instead of pretending. */
export function Andon() {
  return (
    <main class="page">
      <h1>{t("andon.title")}</h1>
      <p class="home-gap">{t("andon.later")}</p>
    </main>
  );
}
