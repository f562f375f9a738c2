// Trunk post_build hook: runs with the final files in $TRUNK_STAGING_DIR.
// 1. Fills sw.js with the list of files to precache and a version derived from their content
//    (Trunk's file-name hashes do not follow wasm-opt's output, so hash the bytes).
// 2. Writes .br and .gz beside every text/wasm file, at the highest levels, for the server.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync, unlinkSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("TRUNK_STAGING_DIR is not set: run through trunk build");

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

// Stale compressed files from an earlier build in the same staging dir would be served.
for (const f of walk(dir)) if (/\.(br|gz)$/.test(f)) unlinkSync(f);

const files = walk(dir)
  .map((p) => "/" + relative(dir, p).split(sep).join("/"))
  .filter((u) => u !== "/sw.js")
  .sort();
const precache = files; // index.html included: every navigation is answered with it
const hash = createHash("sha256");
for (const u of files) hash.update(u).update(readFileSync(join(dir, u)));
const version = hash.digest("hex").slice(0, 16);

const swPath = join(dir, "sw.js");
const template = readFileSync(swPath, "utf8");
if (!template.includes("__DOORSTEP_PRECACHE__")) throw new Error("sw.js has no precache placeholder");
writeFileSync(swPath, template
  .replace("__DOORSTEP_VERSION__", version)
  .replace("__DOORSTEP_PRECACHE__", JSON.stringify(precache)));

// Highest levels for release; quick ones for the debug loop (`trunk serve`).
const release = process.env.TRUNK_PROFILE === "release";
for (const f of walk(dir)) {
  if (!/\.(html|js|mjs|css|wasm|webmanifest|json|svg)$/.test(f)) continue;
  const raw = readFileSync(f);
  writeFileSync(f + ".br", brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: release ? 11 : 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  }));
  writeFileSync(f + ".gz", gzipSync(raw, { level: release ? 9 : 4 }));
}
console.log(`post-build (${process.env.TRUNK_PROFILE}): sw version ${version}, ${precache.length} files precached`);
