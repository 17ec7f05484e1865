import { t } from "../../i18n";
import { Button } from "../../ui/Button";
import { waitingCount } from "../outbox";
import { applyUpdate, canApplyUpdate, updateWaiting } from "../update";
import "./style.css";

/** Says a new version is ready; the person applies it when their work allows. */
export function UpdatePrompt() {
  if (!updateWaiting.value) return null;
  return (
    <div class="update" role="status" data-testid="update-prompt">
      <span>{t("update.ready")}</span>
      {canApplyUpdate.value ? (
        <Button onClick={applyUpdate}>{t("update.apply")}</Button>
      ) : (
        <span class="muted">{waitingCount.value > 0 ? t("update.afterOutbox") : t("update.afterForm")}</span>
      )}
    </div>
  );
}
