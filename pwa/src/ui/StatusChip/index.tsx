import { t } from "../../i18n";
import "./style.css";

type Tone = "good" | "warn" | "bad" | "idle" | "info";

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
};

/** Status by colour, icon and word together, so it reads without colour vision too. */
export function StatusChip({ status }: { status: string }) {
  const { tone, icon } = TONES[status] ?? { tone: "info" as Tone, icon: "•" };
  return (
    <span class={`chip chip-${tone}`} data-status={status}>
      <span aria-hidden="true">{icon}</span> {t(`status.${status}`)}
    </span>
  );
}
