import { t } from "../../../../i18n";
import { roundQuantity } from "../../../../ui/NumPad/quantity";
import { materialShort } from "../../step-model";
import "./style.css";

/** Before a report is sent: the scan-to-consume material its units need and the lots scanned
 * do not cover yet, by component; on a line set to refuse, that the server will refuse it. */
export function MaterialWarning() {
  const short = materialShort.value;
  if (!short) return null;
  return (
    <section class="material-warning" role="alert" data-testid="material-warning" data-refuse={short.refuse ? "yes" : "no"}>
      <h2>{t("step.materialTitle")}</h2>
      <ul>
        {short.missing.map((m) => (
          <li key={m.item_code} data-testid={`missing-${m.item_code}`}>
            {t("step.materialLine", { item: m.item_code, consumed: m.consumed, needed: m.needed, unit: m.unit, short: roundQuantity(m.needed - m.consumed) })}
          </li>
        ))}
      </ul>
      <p>{short.refuse ? t("step.materialRefuse") : t("step.materialWarn")}</p>
    </section>
  );
}
