import { useEffect } from "preact/hooks";
import { user } from "../../../../app/session";
import { t } from "../../../../i18n";
import { chosenRole, homeError, homeRole, homeRoles, loadHome, savedCopy } from "../../model";
import { lazyScreen } from "../../../../app/lazy";
import { InspectorHome } from "../InspectorHome";
import { MaintainerHome } from "../MaintainerHome";
import { OperatorHome } from "../OperatorHome";
import { SupervisorHome } from "../SupervisorHome";
import "./style.css";

// The planner's work orders (import, planning) and the admin's links are desk work.
const PlannerHome = lazyScreen(() => import("../OfficeHome").then((m) => m.PlannerHome));
const AdminHome = lazyScreen(() => import("../OfficeHome").then((m) => m.AdminHome));

/** Each role lands on its own home; someone with several roles switches with the tabs. */
export function Home() {
  const role = homeRole.value;
  useEffect(() => {
    if (role) void loadHome(role);
  }, [role]);
  if (!role) return <main class="page"><p>{t("home.noRole")}</p></main>;
  return (
    <main class="page home" data-testid="home" data-role={role}>
      <p class="muted home-hello">{t("home.hello", { name: user.value?.display_name || user.value?.username || "" })}</p>
      {homeRoles.value.length > 1 && (
        <div class="home-roles" role="tablist">
          {homeRoles.value.map((r) => (
            <button key={r} role="tab" type="button" aria-selected={r === role} onClick={() => (chosenRole.value = r)}>
              {t(`role.${r}`)}
            </button>
          ))}
        </div>
      )}
      {savedCopy.value && <p class="note" role="note">{t("home.savedCopy")}</p>}
      {homeError.value && <p class="error-text" role="alert">{homeError.value}</p>}
      {role === "operator" && <OperatorHome />}
      {role === "inspector" && <InspectorHome />}
      {role === "maintainer" && <MaintainerHome />}
      {role === "supervisor" && <SupervisorHome />}
      {role === "planner" && <PlannerHome />}
      {role === "admin" && <AdminHome />}
    </main>
  );
}
