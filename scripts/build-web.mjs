// Builds the web pages into dist/web: one script bundle (preact, htm, uPlot
// and the pages), one stylesheet, the HTML shell. Run by `npm run build`
// (and so by `npm install`'s prepare script).
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "web");
fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(root, "web", "src", "main.ts")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  outfile: path.join(out, "app.js"),
  legalComments: "none",
  logLevel: "warning",
});
const css = [path.join(root, "node_modules", "uplot", "dist", "uPlot.min.css"), path.join(root, "web", "app.css")]
  .map((file) => fs.readFileSync(file, "utf8"))
  .join("\n");
fs.writeFileSync(path.join(out, "app.css"), css);
for (const file of ["index.html", "favicon.svg"]) fs.copyFileSync(path.join(root, "web", file), path.join(out, file));
