import { signal } from "@preact/signals";

/** Whether the camera scanner is open (the Scan shortcut opens it too). */
export const cameraOpen = signal(false);
