// Camera scanning. The native BarcodeDetector is used when it reads QR codes; otherwise the
// barcode-detector ponyfill with the ZXing wasm file we serve ourselves (no CDN). This module
// is only imported when someone opens the camera, so a handheld that scans with its trigger
// never downloads the decoder.
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

export interface Detector {
  detect(source: ImageBitmapSource): Promise<string[]>;
  engine: "native" | "wasm";
}

interface NativeDetector {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector;
  getSupportedFormats(): Promise<string[]>;
}

const FORMATS = ["qr_code", "data_matrix"];

async function nativeDetector(): Promise<Detector | null> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    const supported = await Native.getSupportedFormats();
    if (!supported.includes("qr_code")) return null;
    const detector = new Native({ formats: FORMATS.filter((f) => supported.includes(f)) });
    return {
      engine: "native",
      detect: async (source) => (await detector.detect(source)).map((b) => b.rawValue),
    };
  } catch {
    return null;
  }
}

async function wasmDetector(): Promise<Detector> {
  const { BarcodeDetector, prepareZXingModule } = await import("barcode-detector/ponyfill");
  prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
    },
    fireImmediately: true,
  });
  const detector = new BarcodeDetector({ formats: ["qr_code", "data_matrix"] });
  return {
    engine: "wasm",
    detect: async (source) => (await detector.detect(source)).map((b) => b.rawValue),
  };
}

let detectorPromise: Promise<Detector> | null = null;

/** The best available QR detector, made once per page. */
export function getDetector(): Promise<Detector> {
  detectorPromise ??= nativeDetector().then((d) => d ?? wasmDetector());
  return detectorPromise;
}

/** Open the rear camera and call `onText` with every code seen, until the returned stop(). */
export async function startCamera(
  video: HTMLVideoElement,
  onText: (text: string) => void,
): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } },
    audio: false,
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  video.muted = true;
  await video.play();
  const detector = await getDetector();
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (video.readyState >= 2) {
      try {
        for (const text of await detector.detect(video)) onText(text);
      } catch {
        // A frame the decoder could not read; the next one may.
      }
    }
    setTimeout(() => void tick(), 120);
  };
  void tick();
  return () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}
