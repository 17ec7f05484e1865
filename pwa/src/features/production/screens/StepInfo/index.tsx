import { navigate } from "../../../../app/router";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import type { Operation } from "../../api";
import { station } from "../../station";
import { plannedAt, safeLink } from "../../step";
import { elsewhere, openAnyway } from "../../step-model";
import "./style.css";

/** The route step at the operation: where it is planned, its work instructions and attachment;
 * and, when it is planned for another workstation than this handheld's, the question first. */
export function StepInfo({ op }: { op: Operation & { instructions?: string } }) {
  const planned = plannedAt(op);
  const view = station.value;
  // Only a web link is opened: a javascript: or data: URL in the route step is not.
  const attachment = view && view.operation_id === op.id ? safeLink(view.attachment_url, location.href) : null;
  const away = elsewhere.value;
  return (
    <section class="step-info" data-testid="step-info">
      {(planned.workstation || planned.type) && (
        <p class="step-planned" data-testid="step-planned">
          {planned.workstation ? t("step.plannedAt", { workstation: planned.workstation }) : t("step.plannedType", { type: planned.type ?? "" })}
        </p>
      )}
      {(op.instructions || attachment) && (
        <div class="step-instructions" data-testid="step-instructions">
          <h2>{t("step.instructions")}</h2>
          {op.instructions && <p>{op.instructions}</p>}
          {attachment && (
            <a class="btn btn-secondary btn-block step-attachment" href={attachment} target="_blank" rel="noopener noreferrer"
              data-testid="step-attachment">{t("step.attachment")}</a>
          )}
        </div>
      )}
      {away && (
        <Sheet title={t("step.elsewhereTitle")} onClose={() => navigate("/")}>
          <div class="stack" data-testid="elsewhere-question">
            <p>{t("step.elsewhere", { planned: away.planned, mine: away.mine })}</p>
            <Button block data-testid="open-anyway" onClick={() => openAnyway(op.id)}>{t("step.openAnyway")}</Button>
            <Button block variant="secondary" data-testid="elsewhere-back" onClick={() => navigate("/")}>{t("step.back")}</Button>
          </div>
        </Sheet>
      )}
    </section>
  );
}
