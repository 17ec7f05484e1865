import type { ComponentChildren } from "preact";
import { t } from "../../i18n";
import "./style.css";

/** A bottom sheet over the current screen (dialogs on a phone held in one hand). */
export function Sheet({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  return (
    <div class="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <section class="sheet" role="dialog" aria-modal="true" aria-label={title}>
        <header class="sheet-head">
          <h2>{title}</h2>
          <button type="button" class="sheet-close" aria-label={t("ui.close")} onClick={onClose}>✕</button>
        </header>
        {children}
      </section>
    </div>
  );
}
