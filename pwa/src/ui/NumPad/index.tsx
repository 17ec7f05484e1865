import { useState } from "preact/hooks";
import { useHoldsUnsavedInput } from "../../app/update";
import { Sheet } from "../Sheet";
import { t } from "../../i18n";
import "./style.css";

interface Props {
  title: string;
  initial?: number | null;
  max?: number;
  /** Digits only (PINs): no decimal point, shown masked. */
  secret?: boolean;
  maxLength?: number;
  onDone: (value: number | null, text: string) => void;
}

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"];

/** A numeric pad with keys big enough for gloves; the soft keyboard never opens. */
export function NumPad({ title, initial = null, max, secret = false, maxLength = 9, onDone }: Props) {
  const [text, setText] = useState(initial === null || initial === 0 ? "" : String(initial));
  // The value shown at first is replaced by the first digit typed, as on a calculator.
  const [fresh, setFresh] = useState(true);
  useHoldsUnsavedInput(true); // a quantity or PIN is being typed while the pad is open
  const press = (key: string) => {
    if (key === "OK") return onDone(text === "" ? null : Number(text), text);
    const base = fresh ? "" : text;
    setFresh(false);
    if (key === "⌫") setText(fresh ? "" : text.slice(0, -1));
    else if (base.length < maxLength) {
      const next = base + key;
      if (max === undefined || Number(next) <= max) setText(next);
    }
  };
  return (
    <Sheet title={title} onClose={() => onDone(null, "")}>
      <output class="numpad-display" aria-live="polite" data-testid="numpad-display">
        {secret ? "●".repeat(text.length) || " " : text || "0"}
      </output>
      <div class="numpad-grid">
        {KEYS.map((key) => (
          <button type="button" key={key} class={`numpad-key${key === "OK" ? " numpad-ok" : ""}`}
            aria-label={key === "⌫" ? t("ui.backspace") : key === "OK" ? t("ui.ok") : key}
            disabled={key === "OK" && text === ""} onClick={() => press(key)}>
            {key === "OK" ? t("ui.ok") : key}
          </button>
        ))}
      </div>
    </Sheet>
  );
}
