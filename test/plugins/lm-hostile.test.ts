/**
 * A hostile plugin written the Library Manager way (BasePlugin from library_manager.plugin_loader, its manifest
 * keys) that goes after the runner it shares a process with: its descriptors, its send(). Each attack must end
 * as one call's failure that says what the plugin did, with the next book answered by a fresh process. One
 * runner for the file, one batch: the plugin restarts once per attack (at most 3 a batch).
 */
import { expect, it } from "vitest";
import { createPluginProcess, FORGED_ANSWER, SETUP_TIMEOUT_COVERS } from "../../src/plugins/process/supervisor.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { CHANNEL_CLOSED_ERROR } from "../../src/plugins/runner/input-closed.js";
import { layoutPerFile, pluginSpec, startPlugin, testBook } from "./sandbox-fixture.js";

const MANIFEST = {
  id: "lm-hostile",
  name: "Hostile",
  version: 1.0,
  type: "layer",
  entry_point: "layer.py",
  class_name: "HostilePlugin",
  default_order: 60,
  requires_config: null,
  requires_secrets: [],
  permissions: { network: null, database: "read" },
};

const LAYER_PY = String.raw`
import os, sys
from library_manager.plugin_loader import BasePlugin

KEPT = []

class HostilePlugin(BasePlugin):
    def process(self, book_data):
        how = book_data.get("current_title")
        if how == "close-all":
            # As a library that daemonizes does: every descriptor, stderr and the runner's own included.
            os.closerange(0, 65536)
        if how == "close-and-reuse":
            # The runner's descriptors closed, and their numbers taken by files of the plugin's own: the
            # answer went into the plugin's file, and the runner read its next message from another.
            os.closerange(3, 65536)
            home = os.environ.get("HOME", "/tmp")
            KEPT.extend(open(os.path.join(home, "f%d" % i), "wb") for i in range(4))
        if how == "forge-next":
            # The runner's send() on the next book's call, before the host started it: that book's answer,
            # past can_process and process().
            import __main__
            frame, seq = sys._getframe(1), None
            while frame is not None and seq is None:
                seq, frame = frame.f_locals.get("seq"), frame.f_back
            __main__.send({"type": "result", "seq": seq + 1, "outcome": "ok", "data": {"title": "Forged"}})
        if how == "answer-twice":
            # Its own call's answer through the runner's send(), then the return: the runner's answer came once
            # the host had begun the next book, which was blamed for it.
            import __main__
            frame, seq = sys._getframe(1), None
            while frame is not None and seq is None:
                seq, frame = frame.f_locals.get("seq"), frame.f_back
            __main__.send({"type": "result", "seq": seq, "outcome": "ok", "data": {"title": "sent first"}})
        if how == "not-utf8":
            # Its own call's answer, raw on the runner's channel, in Latin-1: decoded, "caf\ufffd" passed as the answer.
            import __main__
            frame, seq = sys._getframe(1), None
            while frame is not None and seq is None:
                seq, frame = frame.f_locals.get("seq"), frame.f_back
            os.write(__main__.PROTO_OUT, b'{"type":"result","seq":%d,"outcome":"error","error":"caf\xe9"}\n' % seq)
            import time
            time.sleep(60)
        return {"title": "answered " + how}
`;

const file = layoutPerFile();

it("fails only the call that closed the runner's descriptors or forged another book's answer, saying so, and answers the next book", async () => {
  const spec = pluginSpec(file.layout, "lm-hostile", "python", { "layer.py": LAYER_PY, "manifest.json": JSON.stringify(MANIFEST) }, {
    class_name: "HostilePlugin",
    timeoutSeconds: 20,
  });
  const plugin = startPlugin(spec);
  file.running.push(plugin);
  const results = await plugin.runBatch(["close-all", "a", "close-and-reuse", "b", "forge-next", "c"].map((title) => testBook(title)));
  expect(results.map((r) => (r?.outcome === "ok" ? (r.data as { title: string }).title : `${r?.outcome}: ${r?.error}`))).toEqual([
    // Was "crash: plugin process exited with code 0", and stderr closed too: no word of what happened.
    `crash: ${CHANNEL_CLOSED_ERROR}`,
    "answered a",
    // Was "crash: plugin process exited with code 1: OSError: [Errno 9] Bad file descriptor".
    `crash: ${CHANNEL_CLOSED_ERROR}`,
    "answered b",
    `crash: ${FORGED_ANSWER}`,
    // Not "Forged": its call ran, on a fresh process.
    "answered c",
  ]);
  // Not the 20 s timeout.
  expect(Math.max(...results.map((r) => r!.duration_ms))).toBeLessThan(10_000);
  // A batch of its own: one restart per attack, at most 3 a batch. The same process object, as a layer keeps it.
  const [notUtf8, next] = await plugin.runBatch(["not-utf8", "d"].map((title) => testBook(title)));
  expect(notUtf8).toMatchObject({ outcome: "crash", error: expect.stringMatching(/^protocol violation: a line that is not UTF-8 \(byte 0xE9 at offset \d+; shelfwise's runners write UTF-8 only, so plugin code wrote it on shelfwise's channel\): \{"type":"result","seq":\d+,"outcome":"error","error":"caf\\xe9"\}$/) });
  expect(notUtf8!.duration_ms).toBeLessThan(10_000);
  expect(next).toMatchObject({ outcome: "ok", data: { title: "answered d" } });
});

it("says a plugin that hangs in an import ran out of the start's time, naming loading, not only setup()", async () => {
  // An import that waits for ever (a library opening a connection at import time): its author read "setup did
  // not finish" and looked at setup(), which never ran.
  const spec = pluginSpec(file.layout, "lm-import-hang", "python", { "layer.py": "import time\ntime.sleep(600)\n" + LAYER_PY }, {
    class_name: "HostilePlugin",
    setupTimeoutSeconds: 1,
  });
  const plugin = createPluginProcess(spec, pythonLauncher, { maxRestartsPerBatch: 0 });
  file.running.push(plugin);
  const [result] = await plugin.runBatch([testBook("a")]);
  expect(result).toMatchObject({ outcome: "crash", error: `gave up after 0 restarts in this batch; last failure: setup did not finish within 1 s (${SETUP_TIMEOUT_COVERS})` });
  expect(SETUP_TIMEOUT_COVERS).toContain("an import that hangs");
});

it("blames no other book when a call answers twice through the runner's send(): the first answer stands, the rest run", async () => {
  const spec = pluginSpec(file.layout, "lm-answers-twice", "python", { "layer.py": LAYER_PY, "manifest.json": JSON.stringify({ ...MANIFEST, id: "lm-answers-twice" }) }, {
    class_name: "HostilePlugin",
  });
  const plugin = startPlugin(spec);
  file.running.push(plugin);
  const results = await plugin.runBatch(["answer-twice", "e", "f"].map((title) => testBook(title)));
  expect(results.map((r) => (r?.outcome === "ok" ? (r.data as { title: string }).title : `${r?.outcome}: ${r?.error}`))).toEqual(["sent first", "answered e", "answered f"]);
});
