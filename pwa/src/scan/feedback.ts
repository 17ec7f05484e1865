// What a person notices after every scan, without looking: a short high tone and a green flash
// when it was taken, a low double tone, a buzz and a red banner with the reason when not.
import { signal } from "@preact/signals";

export interface ScanFeedback {
  ok: boolean;
  message: string;
  at: number;
}

export const scanFeedback = signal<ScanFeedback | null>(null);

let audio: AudioContext | null = null;

function beep(frequency: number, startsIn: number, ms: number): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = frequency;
    osc.type = "square";
    gain.gain.value = 0.08;
    osc.connect(gain).connect(audio.destination);
    const start = audio.currentTime + startsIn / 1000;
    osc.start(start);
    osc.stop(start + ms / 1000);
  } catch {
    // No audio on this device; the flash and the banner still say it.
  }
}

export function acceptScan(message: string): void {
  beep(1760, 0, 70);
  scanFeedback.value = { ok: true, message, at: Date.now() };
}

export function rejectScan(message: string): void {
  beep(330, 0, 140);
  beep(220, 180, 220);
  navigator.vibrate?.([120, 60, 120]);
  scanFeedback.value = { ok: false, message, at: Date.now() };
}

export function clearScanFeedback(): void {
  scanFeedback.value = null;
}
