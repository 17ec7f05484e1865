import { t } from "../../i18n";
import "./style.css";

type Tone = "good" | "warn" | "bad" | "idle" | "info";

/** Whose status it is: the same code needs different words on different objects (a lot's
 * `pending` waits for inspection, an operation's for parts; `released` is 已下达 on a work
 * order and 已放行 on a lot). Each has its words under `status.<object>.<code>`. */
export type StatusObject =
  | "work_order" | "operation" | "workstation" | "equipment" | "lot" | "serial" | "count"
  | "outsourcing" | "record" | "outbox" | "storage";

/** Where a chip without `of` looks for its words, first object knowing the code wins. */
const GUESS_ORDER: StatusObject[] = [
  "work_order", "operation", "lot", "equipment", "workstation", "serial", "count",
  "outsourcing", "record", "outbox", "storage",
];

const TONES: Record<string, { tone: Tone; icon: string }> = {
  active: { tone: "good", icon: "●" },
  in_service: { tone: "good", icon: "✔" },
  released: { tone: "good", icon: "✔" },
  running: { tone: "good", icon: "▶" },
  down: { tone: "bad", icon: "✖" },
  blocked: { tone: "bad", icon: "✖" },
  under_maintenance: { tone: "warn", icon: "⚙" },
  pending: { tone: "warn", icon: "◔" },
  paused: { tone: "warn", icon: "❚❚" },
  retired: { tone: "idle", icon: "○" },
  draft: { tone: "idle", icon: "✎" },
  ready: { tone: "info", icon: "●" },
  in_progress: { tone: "good", icon: "▶" },
  completed: { tone: "good", icon: "✔" },
  done: { tone: "good", icon: "✔" },
  closed: { tone: "idle", icon: "■" },
  on_hold: { tone: "warn", icon: "❚❚" },
  held: { tone: "warn", icon: "❚❚" },
  cancelled: { tone: "idle", icon: "✖" },
  idle: { tone: "idle", icon: "○" },
  inactive: { tone: "idle", icon: "○" },
  generated: { tone: "idle", icon: "○" },
  produced: { tone: "good", icon: "✔" },
  shipped: { tone: "good", icon: "➜" },
  scrapped: { tone: "bad", icon: "✖" },
  open: { tone: "info", icon: "●" },
  submitted: { tone: "warn", icon: "◔" },
  approved: { tone: "good", icon: "✔" },
  rejected: { tone: "bad", icon: "✖" },
  sending: { tone: "info", icon: "◔" },
  kept: { tone: "good", icon: "●" },
  may_clear: { tone: "warn", icon: "◔" },
};
/** Where an object's code means something else than the shared tone says. */
const OBJECT_TONES: Partial<Record<StatusObject, Record<string, { tone: Tone; icon: string }>>> = {
  operation: { pending: { tone: "idle", icon: "◌" } },
};

function hasWord(of: StatusObject, status: string): boolean {
  return t(`status.${of}.${status}`) !== `status.${of}.${status}`;
}

/** The words of an object's status ("已放行" for a lot's `released`), for sentences and
 * buttons; the chip below shows them with colour and icon. */
export function statusWord(of: StatusObject | undefined, status: string): string {
  const object = of ?? GUESS_ORDER.find((o) => hasWord(o, status)) ?? "record";
  return t(`status.${object}.${status}`);
}

/** Status by colour, icon and word together, so it reads without colour vision too. Pass
 * `of` (whose status it is) so the words are that object's. */
export function StatusChip({ status, of }: { status: string; of?: StatusObject }) {
  const { tone, icon } = (of && OBJECT_TONES[of]?.[status]) ?? TONES[status] ?? { tone: "info" as Tone, icon: "•" };
  return (
    <span class={`chip chip-${tone}`} data-status={status} data-of={of}>
      <span aria-hidden="true">{icon}</span> {statusWord(of, status)}
    </span>
  );
}
