import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../i18n";
import { clearScanFeedback, scanFeedback } from "../../scan/feedback";
import { routeScan, scanBusy } from "../../scan/router";
import { attachWedge } from "../../scan/sources/wedge";
import { Icon } from "../../ui/Icon";
import { Camera } from "../Camera";
import { cameraOpen } from "../camera-state";
import { useHoldsUnsavedInput } from "../update";
import "./style.css";

function isEditable(el: Element | null): boolean {
  if (!el || el.id === "wedge") return false;
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement || (el as HTMLElement).isContentEditable;
}

/** The scan bar: a hidden field that catches the scanner's keystrokes on every screen, a
 * keyboard button for typing a code by hand, the camera button and the scan feedback. */
export function ScanBar() {
  const wedge = useRef<HTMLInputElement>(null);
  const [typing, setTyping] = useState(false);
  const [typed, setTyped] = useState("");
  useHoldsUnsavedInput(typing && typed !== "");

  useEffect(() => {
    const input = wedge.current!;
    const detach = attachWedge(input, (text) => void routeScan(text));
    // Keep the hidden field focused whenever nothing else takes typing, so a trigger press
    // always lands here, whatever the person tapped last.
    const refocus = () => {
      setTimeout(() => {
        if (!isEditable(document.activeElement) && !document.querySelector("[aria-modal='true'] input")) {
          input.focus({ preventScroll: true });
        }
      }, 0);
    };
    refocus();
    document.addEventListener("click", refocus, true);
    document.addEventListener("focusout", refocus, true);
    document.addEventListener("visibilitychange", refocus);
    return () => {
      detach();
      document.removeEventListener("click", refocus, true);
      document.removeEventListener("focusout", refocus, true);
      document.removeEventListener("visibilitychange", refocus);
    };
  }, []);

  useEffect(() => {
    const fb = scanFeedback.value;
    if (!fb || !fb.ok) return;
    const timer = setTimeout(clearScanFeedback, 2500);
    return () => clearTimeout(timer);
  }, [scanFeedback.value]);

  const fb = scanFeedback.value;
  return (
    <div class="scanbar">
      <input id="wedge" ref={wedge} class="wedge" inputMode="none" autocomplete="off"
        autocapitalize="off" spellcheck={false} aria-label={t("scan.wedgeLabel")} data-testid="wedge" />
      {typing ? (
        <form class="scanbar-typing" onSubmit={(e) => {
          e.preventDefault();
          const text = typed;
          setTyped("");
          setTyping(false);
          void routeScan(text);
        }}>
          <input autoFocus value={typed} onInput={(e) => setTyped(e.currentTarget.value)}
            placeholder={t("scan.typePlaceholder")} aria-label={t("scan.typePlaceholder")}
            autocapitalize="characters" autocomplete="off" />
          <button type="submit" class="scanbar-btn">{t("scan.go")}</button>
          <button type="button" class="scanbar-btn" onClick={() => setTyping(false)} aria-label={t("ui.close")}>✕</button>
        </form>
      ) : (
        <div class="scanbar-row">
          <span class="scanbar-hint">{scanBusy.value ? t("scan.resolving") : t("scan.hint")}</span>
          <button type="button" class="scanbar-btn" onClick={() => setTyping(true)}
            aria-label={t("scan.keyboard")} data-testid="keyboard-button"><Icon name="keyboard" /></button>
          <button type="button" class="scanbar-btn" onClick={() => (cameraOpen.value = true)}
            aria-label={t("scan.camera")} data-testid="camera-button"><Icon name="camera" /></button>
        </div>
      )}
      {fb && (
        <div class={`scan-banner ${fb.ok ? "scan-ok" : "scan-bad"}`} role={fb.ok ? "status" : "alert"}
          data-testid="scan-banner" data-ok={fb.ok} key={fb.at} onClick={clearScanFeedback}>
          <span aria-hidden="true">{fb.ok ? "✔" : "✖"}</span> {fb.message}
        </div>
      )}
      {fb && <div class={`scan-flash ${fb.ok ? "flash-ok" : "flash-bad"}`} key={`f${fb.at}`} aria-hidden="true" />}
      {cameraOpen.value && <Camera onClose={() => (cameraOpen.value = false)} />}
    </div>
  );
}
