import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The build id is a hash of what the app is made from: the app compares it with /version.json
// to notice a new version on devices that stay open all shift, and the same sources always give
// the same id, so rebuilding without a change never prompts every handheld to update.
function contentHash(paths: string[]): string {
  const hash = createHash("sha256");
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else if (!path.endsWith(".test.ts") && !path.endsWith(".test.tsx")) {
      hash.update(path).update(readFileSync(path));
    }
  };
  paths.forEach(walk);
  return hash.digest("hex").slice(0, 12);
}
const BUILD = contentHash(["src", "public", "index.html", "package-lock.json", "vite.config.ts"]);

function versionFile(): Plugin {
  return {
    name: "takt-version-file",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "version.json", source: JSON.stringify({ build: BUILD }) });
    },
  };
}

// Which source modules each chunk holds and which chunks it imports statically: what the build
// check (scripts/check-build.mjs) needs to add up the JavaScript an operator's handheld loads
// before its first screen. Vite's own manifest names only a chunk's facade module.
function chunkModules(): Plugin {
  let root = process.cwd();
  return {
    name: "takt-chunk-modules",
    apply: "build",
    configResolved(config) {
      root = config.root;
    },
    generateBundle(_options, bundle) {
      const chunks: Record<string, { isEntry: boolean; imports: string[]; modules: string[] }> = {};
      for (const item of Object.values(bundle)) {
        if (item.type !== "chunk") continue;
        const modules = item.moduleIds.map((id) => relative(root, id).replaceAll("\\", "/"));
        chunks[item.fileName] = { isEntry: item.isEntry, imports: item.imports, modules };
      }
      this.emitFile({ type: "asset", fileName: ".vite/chunks.json", source: JSON.stringify(chunks, null, 1) });
    },
  };
}

// The service worker is ours (injectManifest): Workbox only supplies the precache list.
// Its URL (/sw.js) never moves, so an installed app always finds its updates.
export default defineConfig({
  define: { __TAKT_BUILD__: JSON.stringify(BUILD) },
  plugins: [
    preact(),
    versionFile(),
    chunkModules(),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src/sw",
      filename: "sw.ts",
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest,json}"],
        // The camera decoder is fetched on first use only (see the runtime route in sw.ts).
        globIgnores: ["**/version.json", "**/*.wasm", "**/ponyfill-*.js"],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: { target: "es2022", sourcemap: false, manifest: true },
  server: { proxy: { "/api": { target: "http://127.0.0.1:8000", ws: true } } },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
