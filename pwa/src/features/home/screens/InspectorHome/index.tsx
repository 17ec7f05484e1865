import { t } from "../../../../i18n";

/** The inspector's worklist (inspections arrive with the quality module). */
export function InspectorHome() {
  return (
    <section>
      <h1>{t("home.worklist")}</h1>
      <p class="home-gap">{t("home.worklistLater")}</p>
      <p>{t("home.scanToLook")}</p>
    </section>
  );
}
