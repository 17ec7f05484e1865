import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { dismissRefused, refusedHere } from "../../step-model";
import "./style.css";

/** Commands of this operation the server refused (a report queued offline, a start, a
 * completion), in the server's words where they were made, until the operator discards them. */
export function OperationRefusals() {
  const refused = refusedHere.value;
  if (!refused.length) return null;
  return (
    <div class="op-refusals">
      {refused.map((c) => (
        <div key={c.id} class="op-refusal" role="alert" data-testid="operation-refusal">
          <p>{t("step.refusedTitle", { label: c.label })}</p>
          <p data-testid="refusal-detail">{c.rejection?.detail ?? c.lastError ?? ""}</p>
          <p class="muted">{t("step.refusedHolds")}</p>
          <Button variant="secondary" data-testid="refusal-discard" onClick={() => void dismissRefused(c.id)}>{t("step.discard")}</Button>
        </div>
      ))}
    </div>
  );
}
