import { signal } from "@preact/signals";
import "./style.css";

interface ToastMessage {
  id: number;
  text: string;
  tone: "info" | "good" | "bad";
}

const toasts = signal<ToastMessage[]>([]);
let nextId = 1;

/** Show a short message at the bottom of the screen for a few seconds. */
export function toast(text: string, tone: ToastMessage["tone"] = "info", ms = 4000): void {
  const id = nextId++;
  toasts.value = [...toasts.value, { id, text, tone }];
  setTimeout(() => {
    toasts.value = toasts.value.filter((m) => m.id !== id);
  }, ms);
}

export function Toasts() {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.value.map((m) => (
        <div key={m.id} class={`toast toast-${m.tone}`}>{m.text}</div>
      ))}
    </div>
  );
}
