import { useState } from "preact/hooks";
import { useHoldsUnsavedInput } from "../../app/update";
import { Sheet } from "../Sheet";
import { t } from "../../i18n";
import { BACKSPACE, finishText, placesOf, POINT, quantityText, toMicro, typeKey, type Refusal } from "./quantity";
import "./style.css";

interface Props {
  title: string;
  initial?: number | string | null;
  max?: number | string;
  /** Decimals the quantity's unit allows (0.015 kg: 3). The point key is there only above 0. */
  decimals?: number;
  /** Digits only (PINs): no decimal point, shown masked, leading zeros kept. */
  secret?: boolean;
  /** Digits before the point (a PIN's length). */
  maxLength?: number;
  /** The value typed (null: none) and its exact text ("0.015"), which is what to send. */
  onDone: (value: number | null, text: string) => void;
}

const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
const OK = "OK";

/** A numeric pad with keys big enough for gloves; the soft keyboard never opens. */
export function NumPad({ title, initial = null, max, decimals = 0, secret = false, maxLength = 9, onDone }: Props) {
  const places = secret ? 0 : placesOf(decimals);
  const [text, setText] = useState(initial === null || toMicro(initial) === 0n ? "" : quantityText(initial));
  // The value shown at first is replaced by the first key typed, as on a calculator.
  const [fresh, setFresh] = useState(true);
  const [refused, setRefused] = useState<Refusal | null>(null);
  useHoldsUnsavedInput(true); // a quantity or PIN is being typed while the pad is open
  const press = (key: string) => {
    if (key === OK) {
      const done = finishText(text, secret);
      return onDone(done === null ? null : Number(done), done ?? "");
    }
    const next = typeKey(fresh ? "" : text, key, { decimals: places, maxDigits: maxLength, max, secret });
    setRefused(next.refused);
    if (next.refused && fresh) return; // the value shown stays until a key is taken
    setFresh(false);
    setText(next.text);
  };
  // With a point to type, the point sits left of 0 and OK gets a row of its own.
  const keys = places > 0 ? [...DIGITS, POINT, "0", BACKSPACE, OK] : [...DIGITS, BACKSPACE, "0", OK];
  const label = (key: string) =>
    key === BACKSPACE ? t("ui.backspace") : key === OK ? t("ui.ok") : key === POINT ? t("numpad.decimalPoint") : key;
  const note = refused === "decimals" ? t("numpad.atMostDecimals", { count: places })
    : refused === "max" && max !== undefined ? t("numpad.atMost", { max: quantityText(max) }) : "";
  return (
    <Sheet title={title} onClose={() => onDone(null, "")}>
      <output class="numpad-display" aria-live="polite" data-testid="numpad-display">
        {secret ? "●".repeat(text.length) || " " : text || "0"}
      </output>
      <p class="numpad-note" role="status" data-testid="numpad-note">{note}</p>
      <div class={`numpad-grid${places > 0 ? " numpad-with-point" : ""}`}>
        {keys.map((key) => (
          <button type="button" key={key} class={`numpad-key${key === OK ? " numpad-ok" : ""}`}
            aria-label={label(key)} disabled={key === OK && text === ""} onClick={() => press(key)}>
            {key === OK ? t("ui.ok") : key}
          </button>
        ))}
      </div>
    </Sheet>
  );
}
