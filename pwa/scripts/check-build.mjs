// The build check: the service worker, the manifest and the version file were emitted, the
// manifest has what installability needs, and the JavaScript an operator's handheld loads before
// its first screen stays under its budget. Run by `npm run build` and, on whatever pwa/dist holds,
// by `make test` (tests/run-legs.sh), so an up-to-date build that was not rebuilt is checked too.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const DIST = new URL("../dist/", import.meta.url).pathname;
const BUDGET_KB = 120;
const problems = [];

for (const file of ["index.html", "sw.js", "manifest.webmanifest", "version.json", "icons/icon-192.png", "icons/icon-512.png", "icons/maskable-512.png"]) {
  if (!existsSync(join(DIST, file))) problems.push(`missing dist/${file}`);
}

const manifest = JSON.parse(readFileSync(join(DIST, "manifest.webmanifest"), "utf8"));
if (!manifest.id || manifest.display !== "standalone") problems.push("manifest needs an id and display: standalone");
if (!manifest.icons?.some((i) => i.purpose === "maskable")) problems.push("manifest needs a maskable icon");

// The first load of an operator's handheld: the entry chunk, the chunks containing the operator's
// home screen, and every chunk those import statically (the browser fetches static imports before
// running anything). Dynamic imports (office screens, the camera decoder) wait until used, and the
// service worker is a separate file, so neither counts.
const FIRST_SCREEN = ["src/features/home/screens/Home/index.tsx", "src/features/home/screens/OperatorHome/index.tsx"];
const chunks = JSON.parse(readFileSync(join(DIST, ".vite/chunks.json"), "utf8"));
const roots = Object.keys(chunks).filter((file) => chunks[file].isEntry);
for (const module of FIRST_SCREEN) {
  const holders = Object.keys(chunks).filter((file) => chunks[file].modules.includes(module));
  if (!holders.length) problems.push(`${module} is in no chunk: say in check-build.mjs where the operator's home is now`);
  roots.push(...holders);
}
const firstLoad = new Set();
const walk = (file) => {
  if (firstLoad.has(file)) return;
  firstLoad.add(file);
  for (const dep of chunks[file].imports) walk(dep);
};
roots.forEach(walk);
let bytes = 0;
for (const file of firstLoad) bytes += gzipSync(readFileSync(join(DIST, file))).length;
const kb = bytes / 1024;
console.log(
  `first-load JavaScript of an operator's handheld: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB), ` +
    `${firstLoad.size} chunk(s): ${[...firstLoad].join(", ")}`,
);
if (kb > BUDGET_KB) problems.push(`the operator's first-load JavaScript is ${kb.toFixed(1)} KB gzipped, over the ${BUDGET_KB} KB budget`);

const swSource = readFileSync(join(DIST, "sw.js"), "utf8");
if (!swSource.includes("index.html")) problems.push("sw.js does not precache index.html");

if (problems.length) {
  console.error(problems.map((p) => `build check: ${p}`).join("\n"));
  process.exit(1);
}
