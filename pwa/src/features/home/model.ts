// Home screen state: which role's home is shown, the operator's workstation on this device,
// and the lists the homes show.
import { computed, signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { fetchOrSaved } from "../../app/saved";
import { roles, type Role } from "../../app/session";
import { t } from "../../i18n";
import * as prod from "../production/api";
import * as homeApi from "./api";

const ORDER: Role[] = ["operator", "inspector", "maintainer", "supervisor", "planner", "admin"];
const WORKSTATION_KEY = "takt.my-workstation";

export const chosenRole = signal<Role | null>(null);
export const homeRoles = computed(() => ORDER.filter((r) => roles.value.has(r)));
export const homeRole = computed(() => {
  const chosen = chosenRole.value;
  return chosen && roles.value.has(chosen) ? chosen : homeRoles.value[0] ?? null;
});

/** The workstation this handheld works at; a device setting, not a user one. */
export const myWorkstation = signal<string | null>(globalThis.localStorage?.getItem(WORKSTATION_KEY) ?? null);
export function setMyWorkstation(code: string | null): void {
  myWorkstation.value = code;
  if (code) localStorage.setItem(WORKSTATION_KEY, code);
  else localStorage.removeItem(WORKSTATION_KEY);
}

export const workstations = signal<homeApi.Workstation[]>([]);
export const equipment = signal<homeApi.Equipment[]>([]);
export const lines = signal<homeApi.Line[]>([]);
export const queue = signal<prod.QueueEntry[]>([]);
export const board = signal<prod.Board | null>(null);
export const boardLine = signal<string | null>(globalThis.localStorage?.getItem("takt.board-line") ?? null);
export const pendingLots = signal<homeApi.Page<homeApi.LotRow> | null>(null);
export const blockedLots = signal<homeApi.Page<homeApi.LotRow> | null>(null);
export const savedCopy = signal(false);
export const homeError = signal<string | null>(null);

let generation = 0;

async function load<T>(target: { value: T[] }, fetcher: () => Promise<{ items: T[]; saved: boolean }>): Promise<void> {
  const mine = generation;
  try {
    const { items, saved } = await fetcher();
    if (mine !== generation) return; // a newer load is on its way; never show older data over it
    target.value = items;
    if (saved) savedCopy.value = true;
  } catch (err) {
    homeError.value = err instanceof ApiError ? err.problem.detail : t("home.offlineNoCopy");
  }
}

async function loadOne<T>(target: { value: T | null }, key: string, fetcher: () => Promise<T>): Promise<void> {
  const mine = generation;
  try {
    const { value, savedAt } = await fetchOrSaved(key, fetcher);
    if (mine !== generation) return;
    target.value = value;
    if (savedAt !== null) savedCopy.value = true;
  } catch (err) {
    homeError.value = err instanceof ApiError ? err.problem.detail : t("home.offlineNoCopy");
  }
}

/** How many of the newest lots the inspector's home lists (the rest are counted). */
export const PENDING_SHOWN = 50;
export const BLOCKED_SHOWN = 10;

async function loadPage<T>(target: { value: homeApi.Page<T> | null },
  fetcher: () => Promise<{ page: homeApi.Page<T>; saved: boolean }>): Promise<void> {
  const mine = generation;
  try {
    const { page, saved } = await fetcher();
    if (mine !== generation) return;
    target.value = page;
    if (saved) savedCopy.value = true;
  } catch (err) {
    homeError.value = err instanceof ApiError ? err.problem.detail : t("home.offlineNoCopy");
  }
}

export function chooseBoardLine(code: string): void {
  boardLine.value = code;
  localStorage.setItem("takt.board-line", code);
  void loadHome("supervisor");
}

export async function loadHome(role: Role): Promise<void> {
  generation += 1;
  homeError.value = null;
  savedCopy.value = false;
  if (role === "operator") {
    await load(workstations, homeApi.workstations);
    const mine = myWorkstation.value;
    if (mine) await loadOne(queue as { value: prod.QueueEntry[] | null }, `queue:${mine}`, () => prod.getQueue(mine));
  }
  if (role === "inspector") {
    await loadPage(pendingLots, () => homeApi.lotsByStatus("pending", PENDING_SHOWN));
    await loadPage(blockedLots, () => homeApi.lotsByStatus("blocked", BLOCKED_SHOWN));
  }
  if (role === "maintainer" || role === "supervisor") await load(equipment, homeApi.equipment);
  if (role === "supervisor") {
    await load(lines, homeApi.lines);
    const line = boardLine.value && lines.value.some((l) => l.code === boardLine.value) ? boardLine.value : lines.value[0]?.code;
    if (line) {
      boardLine.value = line;
      await loadOne(board, `board:${line}`, () => prod.getBoard(line));
    }
  }
}

let reloadTimer: ReturnType<typeof setTimeout> | undefined;

/** Reload a home once for a burst of live events (a reconnect wakes every topic at once). */
export function reloadSoon(role: Role): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void loadHome(role), 250);
}

/** Down first, then under maintenance, then the rest, by code. */
export const equipmentByUrgency = computed(() => {
  const rank: Record<string, number> = { down: 0, under_maintenance: 1 };
  return [...equipment.value].sort((a, b) =>
    (rank[a.status] ?? 2) - (rank[b.status] ?? 2) || a.code.localeCompare(b.code));
});
