// Refreshes the guides' screenshots (docs/img) from the e2e suite's (tests/e2e/screenshots):
// each image in docs/img is replaced by the e2e screenshot of the same name, scaled down in
// Chromium to the width it has now (no image tools needed). Run after `npx playwright test`:
//   node tools/docs-screenshots.mjs
import { chromium } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const DOCS = "docs/img";
const SHOTS = "tests/e2e/screenshots";

/** A PNG's width, from its IHDR chunk. */
const width = (file) => readFileSync(file).readUInt32BE(16);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
const page = await browser.newPage();
for (const name of readdirSync(DOCS).filter((n) => n.endsWith(".png"))) {
  let source;
  try {
    source = readFileSync(join(SHOTS, name));
  } catch {
    console.log(`${name}: no e2e screenshot of that name, kept`);
    continue;
  }
  const w = width(join(DOCS, name));
  await page.setContent(
    `<body style="margin:0"><img style="display:block;width:${w}px" src="data:image/png;base64,${source.toString("base64")}"></body>`,
  );
  await page.locator("img").evaluate((img) => img.decode());
  await page.locator("img").screenshot({ path: join(DOCS, name) });
  console.log(`${name}: ${w} px wide`);
}
await browser.close();
