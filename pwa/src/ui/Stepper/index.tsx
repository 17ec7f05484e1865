import { useState } from "preact/hooks";
import { NumPad } from "../NumPad";
import { ceilTo, floorTo, microText, placesOf, toMicro } from "../NumPad/quantity";
import { t } from "../../i18n";
import "./style.css";

interface Props {
  label: string;
  value: number | string;
  /** The new quantity, and its exact text ("0.015") for a screen that sends text. A number
   * made from that text writes back to the same text, so sending either is exact. */
  onChange: (value: number, text: string) => void;
  min?: number | string;
  max?: number | string;
  /** What - and + change the value by: 1 unless the screen says otherwise (0.015 kg). */
  step?: number | string;
  /** Decimals the quantity's unit allows (master data units): 0 is whole numbers. */
  decimals?: number;
}

/** Big - / + buttons around a number; tapping the number opens the numeric pad. Stepping is
 * exact (millionths, not floats), and the limits are read at the unit's decimals. */
export function Stepper({ label, value, onChange, min = 0, max = Number.MAX_SAFE_INTEGER, step = 1, decimals = 0 }: Props) {
  const [typing, setTyping] = useState(false);
  const places = placesOf(decimals);
  // A limit worked out by a screen in floats (4.2 - 1.1) is read at the unit's decimals: the
  // most is rounded down to what can be typed, the least up.
  const low = ceilTo(toMicro(min), places);
  const high = floorTo(toMicro(max), places);
  const current = toMicro(value);
  const by = toMicro(step) > 0n ? toMicro(step) : toMicro(1);
  const send = (micro: bigint) => {
    const clamped = micro > high ? high : micro < low ? low : micro; // as before: the most wins
    const text = microText(clamped);
    onChange(Number(text), text);
  };
  return (
    <div class="stepper" role="group" aria-label={label}>
      <span class="stepper-label">{label}</span>
      <div class="stepper-row">
        <button type="button" class="stepper-btn" aria-label={t("ui.less", { label })}
          disabled={current <= low} onClick={() => send(current - by)}>−</button>
        <button type="button" class="stepper-value" aria-label={t("ui.typeValue", { label })}
          onClick={() => setTyping(true)}>{microText(current)}</button>
        <button type="button" class="stepper-btn" aria-label={t("ui.more", { label })}
          disabled={current >= high} onClick={() => send(current + by)}>+</button>
      </div>
      {typing && (
        <NumPad title={label} initial={microText(current)} max={microText(high)} decimals={places}
          onDone={(_, text) => { setTyping(false); if (text !== "") send(toMicro(text)); }} />
      )}
    </div>
  );
}
