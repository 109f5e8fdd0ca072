/**
 * `tsc ARGS` run in `cwd`, as TypeScript's own command line does it, but in this process: the same
 * compiler (node_modules/typescript), the same options read from the same arguments and tsconfig, the
 * same program and diagnostics (the config's errors, then the program's: options, syntax, globals,
 * semantics, declarations; what `tsc` prints and exits non-zero on). A `tsc` process per check cost its
 * node start and TypeScript's 9 MB of JavaScript loaded and compiled (~0.5 CPU-s here) plus the parse of
 * TypeScript's own lib files; here TypeScript loads once per worker and its lib files (read-only files of
 * the package, parsed the same for the same target) are parsed once and shared, as `tsc -b` shares them
 * between projects. The sources and declarations of the checked project are read afresh at each check.
 * Only checks (`--noEmit`, or a tsconfig with `noEmit`): anything else would have to write files.
 */
import path from "node:path";
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
const LIB_DIR = path.dirname(ts.getDefaultLibFilePath({}));
const libFiles = new Map<string, TypeScript.SourceFile>();

export function typeCheck(args: string[], cwd: string): { code: number; output: string } {
  const commandLine = ts.parseCommandLine(args);
  let options = commandLine.options;
  let fileNames = commandLine.fileNames.map((name) => path.resolve(cwd, name));
  const configErrors: TypeScript.Diagnostic[] = [...commandLine.errors];
  if (options.project !== undefined) {
    const project = path.resolve(cwd, options.project);
    const configFile = ts.sys.directoryExists(project) ? path.join(project, "tsconfig.json") : project;
    const { project: _project, ...extend } = options;
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, extend, {
      ...ts.sys,
      getCurrentDirectory: () => cwd,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => configErrors.push(diagnostic),
    });
    if (parsed) {
      options = parsed.options;
      fileNames = parsed.fileNames;
      configErrors.push(...parsed.errors);
    }
  }
  if (!options.noEmit) throw new Error(`typeCheck only checks: run tsc ${args.join(" ")} with --noEmit (or noEmit in its tsconfig)`);
  const host = ts.createCompilerHost(options);
  // Automatic type packages and relative names are looked up from the folder tsc would run in.
  host.getCurrentDirectory = () => cwd;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (path.dirname(fileName) !== LIB_DIR) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${JSON.stringify(languageVersion)}:${fileName}`;
    let file = libFiles.get(key);
    if (!file) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file) libFiles.set(key, file);
    }
    return file;
  };
  const program = ts.createProgram({ rootNames: fileNames, options, host, configFileParsingDiagnostics: configErrors });
  const diagnostics = ts.sortAndDeduplicateDiagnostics([...configErrors, ...ts.getPreEmitDiagnostics(program)]);
  const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (name) => name, getCurrentDirectory: () => cwd, getNewLine: () => "\n" });
  const listed = options.listFiles ? program.getSourceFiles().map((file) => `${file.fileName}\n`).join("") : "";
  return { code: diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error) ? 2 : 0, output: listed + output };
}
