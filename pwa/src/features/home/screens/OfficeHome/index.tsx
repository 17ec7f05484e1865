// The office roles' homes: loaded on demand (see Home), so a handheld never fetches them.
import { t } from "../../../../i18n";
import { WorkOrders } from "../../../production/screens/WorkOrders";

/** The planner's work orders (they arrive with the production module) and master data. */
export function PlannerHome() {
  return (
    <section>
      <h1>{t("home.workOrders")}</h1>
      <WorkOrders />
      <h2>{t("home.masterData")}</h2>
      <ul class="list">
        <li><a class="list-item" href="/admin/" target="_blank" rel="noopener">{t("home.backOffice")}</a></li>
      </ul>
    </section>
  );
}

/** The admin's links to the back office and the API. */
export function AdminHome() {
  return (
    <section>
      <h1>{t("home.administration")}</h1>
      <ul class="list" data-testid="admin-links">
        <li><a class="list-item" href="/admin/" target="_blank" rel="noopener">{t("home.backOffice")}</a></li>
        <li><a class="list-item" href="/schema" target="_blank" rel="noopener">{t("home.apiDocs")}</a></li>
      </ul>
    </section>
  );
}
