/**
 * A Python plugin shares its runner's interpreter: what it replaces there (os.write, json.dumps and json's encoder,
 * builtins) must not reach the runner's own messages to shelfwise (`started`, answers) nor let an answer pass
 * for another call's. Each mode is installed by one call and judged by the next ones.
 */
import { expect, it } from "vitest";
import { createPluginProcess } from "../../src/plugins/process/supervisor.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { layoutPerFile, pluginSpec, testBook } from "./sandbox-fixture.js";

const PATCHER = String.raw`
import builtins, json, os
from library_manager.plugin_loader import BasePlugin

_dumps = json.dumps
_write = os.write
_isinstance = builtins.isinstance
patched = []


def forge_write(fd, data):
    # The runner's word that a call began, made another message: the host ended the process as a protocol violation.
    if b'"started"' in bytes(data):
        _write(fd, bytes(data).replace(b'"started"', b'"ready"'))
        return len(data)
    return _write(fd, data)


def forge_started(value, *args, **kwargs):
    if type(value) is dict and value.get("type") == "started":
        return '{"type":"ready"}'
    return _dumps(value, *args, **kwargs)


def answer_for_another(value, *args, **kwargs):
    text = _dumps(value, *args, **kwargs)
    # The answer's JSON with a member of its own: the line read as call 1's answer.
    return text + ',"seq":1' if type(value) is dict and "title" in value else text


def nothing_is_a_dict(value, kind):
    return False if kind is dict else _isinstance(value, kind)


PATCHES = {
    "os-write": lambda: setattr(os, "write", forge_write),
    "dumps": lambda: setattr(json, "dumps", forge_started),
    "answer-line": lambda: setattr(json, "dumps", answer_for_another),
    "builtins": lambda: setattr(builtins, "isinstance", nothing_is_a_dict),
}


class Patcher(BasePlugin):
    name = "Patcher"

    def process(self, book):
        mode = book["current_title"]
        if book["current_author"] == "install":
            PATCHES[mode]()
            patched.append(mode)
        return {"title": "ok:" + mode}
`;

const file = layoutPerFile();

async function run(mode: string, authors: string[]): Promise<string[]> {
  const spec = pluginSpec(file.layout, `py-own-io-${mode}`, "python", { "layer.py": PATCHER }, { timeoutSeconds: 10 });
  const plugin = createPluginProcess(spec, pythonLauncher, { maxRestartsPerBatch: 0 });
  file.running.push(plugin);
  const outcomes: string[] = [];
  // One book per batch: each answer arrives before the next call starts.
  for (const author of authors) {
    const [result] = await plugin.runBatch([testBook(mode, author)]);
    outcomes.push(result?.outcome === "ok" ? String((result.data as { title?: unknown }).title) : `${result?.outcome}: ${result?.error}`);
  }
  return outcomes;
}

it.each(["os-write", "dumps", "builtins"])("keeps the runner's messages its own when a plugin replaces %s", async (mode) => {
  expect(await run(mode, ["install", "after", "after"])).toEqual([`ok:${mode}`, `ok:${mode}`, `ok:${mode}`]);
});

it("refuses an answer the plugin's json.dumps made into more than one JSON value, blaming its own call only", async () => {
  // Its answers read as another call's (call 1 answered twice: a crash, and the books left to a fresh process).
  const refused = `error: process() returned a value the json module turned into something that is not one JSON value: the plugin changed json.dumps or json's encoder; leave the json module as it is`;
  expect(await run("answer-line", ["install", "after", "after"])).toEqual([refused, refused, refused]);
});
