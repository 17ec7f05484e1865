import { useState } from "preact/hooks";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { signed, toneOf, varianceOf, varianceSummary, type CountLineView } from "../../lines";
import { approveCount, count, lines, mayDecide, pendingDecision, rejectCount } from "../../model";
import "./style.css";

const amount = (n: number | null, unit: string) => (n === null ? "—" : `${n}${unit ? ` ${unit}` : ""}`);

function ReviewLine({ line }: { line: CountLineView }) {
  const variance = varianceOf(line);
  const tone = toneOf(variance);
  return (
    <li class={`count-review-line${tone ? ` tone-${tone}` : ""}`} data-testid="review-line" data-lot={line.lot_code ?? ""}
      data-item={line.item_code} data-variance={variance ?? ""} data-tone={tone ?? ""}>
      <span><strong>{line.item_code}</strong> · {line.lot_code ?? t("count.noLot")}
        {line.found && <> · <span class="count-found">{t("count.found")}</span></>}
      </span>
      <span class="count-variance" data-testid="review-variance" aria-label={t("count.variance")}>
        {variance === null ? "—" : signed(variance)}
      </span>
      <span class="count-figures">
        <span>{t("count.expected", { quantity: line.found ? "—" : amount(line.expected, line.unit) })}</span>
        {line.book !== null && <span>{t("count.book", { quantity: amount(line.book, line.unit) })}</span>}
        <span data-testid="review-counted">{t("count.countedFigure", { quantity: amount(line.counted, line.unit) })}</span>
      </span>
    </li>
  );
}

/** Asks why before a count is rejected (the server needs a reason). */
export function RejectSheet({ onClose }: { onClose: () => void }) {
  const [reason, setReason] = useState("");
  return (
    <Sheet title={t("count.rejectTitle", { code: count.value?.code ?? "" })} onClose={onClose}>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); onClose(); void rejectCount(reason); }}>
        <label for="count-reason">{t("count.rejectReason")}</label>
        <textarea id="count-reason" class="count-reason" value={reason} maxLength={500} data-testid="count-reject-reason"
          onInput={(e) => setReason(e.currentTarget.value)} />
        <Button type="submit" variant="danger" block disabled={!reason.trim()} data-testid="count-reject-confirm">{t("count.reject")}</Button>
      </form>
    </Sheet>
  );
}

/** A count as a supervisor judges it: each line's expected, book and counted figures with the
 * variance standing out; approve (the variances are posted) or reject with a reason. */
export function CountReview() {
  const [rejecting, setRejecting] = useState(false);
  const c = count.value!;
  const all = lines.value;
  const summary = varianceSummary(all);
  const decidable = mayDecide.value && !pendingDecision.value;
  return (
    <section data-testid="count-review">
      {c.status === "open" && !pendingDecision.value && <p class="note">{t("count.stillOpen", { who: c.created_by })}</p>}
      {c.status !== "open" && (
        <p class="count-instruction" data-testid="count-summary">
          {t("count.summary", { short: summary.short, over: summary.over, match: summary.match })}
        </p>
      )}
      {c.status === "submitted" && c.submitted_by && <p class="muted">{t("count.submittedBy", { who: c.submitted_by })}</p>}
      {c.status === "approved" && <p class="note" data-testid="count-decided">{t("count.approvedBy", { who: c.decided_by })}</p>}
      {c.status === "rejected" && <p class="note" data-testid="count-decided">{t("count.rejectedBy", { who: c.decided_by, reason: c.decision_note })}</p>}
      <ul class="list" data-testid="review-lines">
        {all.map((l) => <ReviewLine key={l.key} line={l} />)}
      </ul>
      {decidable && (c.status === "submitted" || c.status === "open") && (
        <div class="stack count-decision">
          {c.status === "submitted" && (
            <Button block data-testid="count-approve" onClick={() => void approveCount()}>
              {summary.short + summary.over > 0 ? t("count.approvePost", { count: summary.short + summary.over }) : t("count.approve")}
            </Button>
          )}
          <Button block variant="danger" data-testid="count-reject" onClick={() => setRejecting(true)}>{t("count.reject")}</Button>
        </div>
      )}
      {rejecting && <RejectSheet onClose={() => setRejecting(false)} />}
    </section>
  );
}
