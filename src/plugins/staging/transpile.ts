/**
 * TypeScript -> JavaScript for plugin staging, one file at a time
 * (`ts.transpileModule`: no type checking, only syntax errors). The compiler is
 * loaded on first use only: it is large, and a warm cache never needs it.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as TypeScript from "typescript";

const require = createRequire(import.meta.url);
let compiler: typeof TypeScript | null = null;

function typescript(): typeof TypeScript {
  compiler ??= require("typescript") as typeof TypeScript;
  return compiler;
}

/** The installed compiler's version, read without loading the compiler. */
export function typescriptVersion(): string {
  return (require("typescript/package.json") as { version: string }).version;
}

export type ModuleFormat = "esm" | "cjs";

export class TranspileError extends Error {
  constructor(readonly diagnostics: string[]) {
    super(`TypeScript syntax error:\n${diagnostics.join("\n")}`);
    this.name = "TranspileError";
  }
}

/**
 * Transpiles `source` (read from `file`, a real path used for messages and the
 * inline source map, so stack traces under --enable-source-maps point at the
 * author's .ts file). Throws TranspileError with "file:line:col: message".
 */
export function transpileTypeScript(source: string, file: string, format: ModuleFormat): string {
  const ts = typescript();
  const result = ts.transpileModule(source, {
    fileName: path.basename(file),
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: format === "esm" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      inlineSourceMap: true,
      sourceRoot: `${pathToFileURL(path.dirname(file)).href}/`,
    },
  });
  const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new TranspileError(
      errors.map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        if (d.file === undefined || d.start === undefined) return `${file}: ${message}`;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${file}:${line + 1}:${character + 1}: ${message}`;
      }),
    );
  }
  return result.outputText;
}
