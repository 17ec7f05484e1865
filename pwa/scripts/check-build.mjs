// The build check: the service worker, the manifest and the version file were emitted, the
// manifest has what installability needs, and the shell's JavaScript (what the first page load
// fetches; the lazily loaded camera decoder is not part of it) stays under its budget.
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

const viteManifest = JSON.parse(readFileSync(join(DIST, ".vite/manifest.json"), "utf8"));
const entry = Object.values(viteManifest).find((chunk) => chunk.isEntry);
const seen = new Set();
const walk = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of viteManifest[key].imports ?? []) walk(dep);
};
walk(Object.keys(viteManifest).find((k) => viteManifest[k] === entry));
let bytes = 0;
for (const key of seen) bytes += gzipSync(readFileSync(join(DIST, viteManifest[key].file))).length;
const kb = bytes / 1024;
console.log(`shell JavaScript: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB), ${seen.size} chunk(s)`);
if (kb > BUDGET_KB) problems.push(`shell JavaScript is ${kb.toFixed(1)} KB gzipped, over the ${BUDGET_KB} KB budget`);

const swSource = readFileSync(join(DIST, "sw.js"), "utf8");
if (!swSource.includes("index.html")) problems.push("sw.js does not precache index.html");

if (problems.length) {
  console.error(problems.map((p) => `build check: ${p}`).join("\n"));
  process.exit(1);
}
