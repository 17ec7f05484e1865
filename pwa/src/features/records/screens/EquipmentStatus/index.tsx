import { useEffect, useState } from "preact/hooks";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { statusWord } from "../../../../ui/StatusChip";
import { downtimeReasons, setEquipmentStatus } from "../../model";
import "./style.css";

const EQUIPMENT_STATUSES = ["in_service", "down", "under_maintenance"];

/** A machine's status, chosen on a sheet. Setting it down stops what others plan on it (the
 * board shows its workstation down), so that step asks for a downtime reason first and takes
 * a note; the other statuses change at the tap. */
export function EquipmentStatusSheet({ code, status, onClose }: { code: string; status: string; onClose: () => void }) {
  const [down, setDown] = useState(false);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  useEffect(() => { if (down) void downtimeReasons.load(); }, [down]);

  if (!down) {
    return (
      <Sheet title={t("action.set_status")} onClose={onClose}>
        <div class="stack">
          {EQUIPMENT_STATUSES.map((s) => (
            <Button key={s} block variant={s === status ? "primary" : "secondary"} data-testid={`status-${s}`}
              onClick={() => {
                if (s === "down" && status !== "down") { setDown(true); return; }
                onClose();
                void setEquipmentStatus(code, s);
              }}>
              {statusWord("equipment", s)}
            </Button>
          ))}
        </div>
      </Sheet>
    );
  }
  const reasons = downtimeReasons.rows.value;
  return (
    <Sheet title={t("record.downTitle", { code })} onClose={onClose}>
      <form class="stack" data-testid="down-sheet" onSubmit={(e) => {
        e.preventDefault();
        if (!reason) return;
        onClose();
        void setEquipmentStatus(code, "down", reason, note);
      }}>
        <p>{t("record.downWhat")}</p>
        <fieldset class="down-reasons">
          <legend>{t("record.downReason")}</legend>
          {reasons.length === 0 && <p class="muted">{downtimeReasons.failed.value ? t("record.downNoReasons") : t("ui.loading")}</p>}
          {reasons.map((r) => (
            <Button key={r.code} block variant={r.code === reason ? "primary" : "secondary"} aria-pressed={r.code === reason}
              data-testid={`down-reason-${r.code}`} onClick={() => setReason(r.code)}>
              {r.name}
            </Button>
          ))}
        </fieldset>
        <div class="field">
          <label for="down-note">{t("record.downNote")}</label>
          <input id="down-note" value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} data-testid="down-note" />
        </div>
        {!reason && <p class="muted" data-testid="down-needs-reason">{t("record.downNeedsReason")}</p>}
        <Button type="submit" variant="danger" block disabled={!reason} data-testid="down-confirm">
          {t("record.downConfirm")}
        </Button>
        <Button type="button" variant="secondary" block onClick={() => setDown(false)}>{t("ui.cancel")}</Button>
      </form>
    </Sheet>
  );
}
