import { openCommandSession } from "../session.js";
import { attachPlugins } from "../../app/attach-plugins.js";
import { layerListView } from "../../app/layer-list.js";
import { printJson, printTable, warnLine } from "../output.js";


export async function layersCommand(dataDir: string, options: { json?: boolean }): Promise<void> {
  const session = await openCommandSession(dataDir);
  try {
    // Started, so a plugin whose module or setup fails shows as failed, not enabled.
    const entries = await attachPlugins(session, { start: true });
    const { rows, warnings } = layerListView(session, entries);
    if (options.json) return printJson(rows);
    for (const warning of warnings) warnLine(warning);
    await printTable(
      ["#", "LAYER", "KIND", "ORDER", "STATE", "WEIGHT", "NAME", "REASON"],
      rows.map((r) => [r.position ?? "-", r.layer_id, r.kind, r.default_order, r.state, r.source_weight ?? "-", r.layer_name, r.reason]),
      { cut: ["NAME"] },
    );
  } finally {
    await session.close();
  }
}
