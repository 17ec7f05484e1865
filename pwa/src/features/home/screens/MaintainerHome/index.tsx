import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { StatusChip } from "../../../../ui/StatusChip";
import { equipmentByUrgency } from "../../model";

/** The maintainer's home: equipment that needs attention first. */
export function MaintainerHome() {
  return (
    <section>
      <h1>{t("home.equipment")}</h1>
      <p class="muted">{t("home.equipmentFirst")}</p>
      <ul class="list" data-testid="equipment-list">
        {equipmentByUrgency.value.map((e) => (
          <li key={e.code}>
            <a class="list-item" href={recordPath("EQ", e.code)}
              onClick={(ev) => { ev.preventDefault(); navigate(recordPath("EQ", e.code)); }}>
              <span><strong>{e.code}</strong> · {e.name}</span>
              <StatusChip of="equipment" status={e.status} />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
