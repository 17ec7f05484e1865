import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../i18n";
import { routeScan } from "../../scan/router";
import { Sheet } from "../../ui/Sheet";
import "./style.css";

/** The camera scanner. The decoder module (and its wasm, when the browser has no native
 * BarcodeDetector) loads only now, the first time someone opens the camera. */
export function Camera({ onClose }: { onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [engine, setEngine] = useState<string | null>(null);

  useEffect(() => {
    let stop: (() => void) | null = null;
    let closed = false;
    void (async () => {
      try {
        const camera = await import("../../scan/sources/camera");
        const detector = await camera.getDetector();
        if (closed) return;
        setEngine(detector.engine);
        stop = await camera.startCamera(video.current!, (text) => {
          void routeScan(text).then(() => onClose());
        });
        if (closed) stop();
      } catch (err) {
        setError(err instanceof DOMException && err.name === "NotAllowedError"
          ? t("camera.denied") : t("camera.failed", { reason: String((err as Error)?.message ?? err) }));
      }
    })();
    return () => {
      closed = true;
      stop?.();
    };
  }, []);

  return (
    <Sheet title={t("camera.title")} onClose={onClose}>
      {error ? <p class="error-text" role="alert">{error}</p> : (
        <div class="camera-frame">
          <video ref={video} class="camera-video" muted playsInline data-testid="camera-video" data-engine={engine ?? ""} />
          <div class="camera-aim" aria-hidden="true" />
        </div>
      )}
      <p class="muted">{t("camera.hint")}</p>
    </Sheet>
  );
}
