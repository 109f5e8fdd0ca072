import { chromium } from "playwright-core";
import fs from "node:fs";
const profile = fs.mkdtempSync("/tmp/chrp-");
const extra = process.argv.slice(3);
const ctx = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extra] });
const page = ctx.pages()[0] ?? await ctx.newPage();
await page.goto(process.argv[2] ?? "about:blank");
await new Promise(r => setTimeout(r, 10000));
await ctx.close();
