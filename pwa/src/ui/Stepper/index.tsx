import { useState } from "preact/hooks";
import { NumPad } from "../NumPad";
import { t } from "../../i18n";
import "./style.css";

interface Props {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  step?: number;
}

/** Big - / + buttons around a number; tapping the number opens the numeric pad. */
export function Stepper({ label, value, onChange, min = 0, max = Number.MAX_SAFE_INTEGER, step = 1 }: Props) {
  const [typing, setTyping] = useState(false);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  return (
    <div class="stepper" role="group" aria-label={label}>
      <span class="stepper-label">{label}</span>
      <div class="stepper-row">
        <button type="button" class="stepper-btn" aria-label={t("ui.less", { label })}
          disabled={value <= min} onClick={() => onChange(clamp(value - step))}>−</button>
        <button type="button" class="stepper-value" aria-label={t("ui.typeValue", { label })}
          onClick={() => setTyping(true)}>{value}</button>
        <button type="button" class="stepper-btn" aria-label={t("ui.more", { label })}
          disabled={value >= max} onClick={() => onChange(clamp(value + step))}>+</button>
      </div>
      {typing && (
        <NumPad title={label} initial={value} max={max}
          onDone={(v) => { setTyping(false); if (v !== null) onChange(clamp(v)); }} />
      )}
    </div>
  );
}
