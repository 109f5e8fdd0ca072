import { openSession } from "../../app/session.js";
import { attachPlugins } from "../../app/attach-plugins.js";
import { layerEnabled } from "../../app/session.js";
import { printJson, printTable, terminalSafe } from "../output.js";

export async function layersCommand(dataDir: string, options: { json?: boolean }): Promise<void> {
  const session = openSession(dataDir);
  try {
    await attachPlugins(session, { start: false });
    const { layers, warnings } = session.registry.ordered(session.config.pipeline_order);
    const rows = layers.map((layer, index) => ({
      position: index + 1,
      ...layer.info,
      enabled: layerEnabled(session.config, layer),
      source_weight: layer.weight,
    }));
    if (options.json) return printJson(rows);
    for (const warning of warnings) process.stderr.write(`warning: ${terminalSafe(warning)}\n`);
    printTable(
      ["#", "LAYER", "KIND", "ORDER", "ENABLED", "WEIGHT", "NAME"],
      rows.map((r) => [r.position, r.layer_id, r.kind, r.default_order, r.enabled ? "yes" : "no", r.source_weight, r.layer_name]),
    );
  } finally {
    await session.close();
  }
}
