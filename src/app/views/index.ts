/**
 * Every output view, for the CLI's `--json`, the HTTP API's responses and
 * docs/cli-json.md. Import the schemas from here (or their own module).
 */
export * from "./book-row.js";
export * from "./book-detail.js";
export * from "./layer-row.js";
export * from "./plugin-entry.js";
export * from "./plugin-health.js";
export * from "./call-log.js";
export * from "./scan-summary.js";
export * from "./process-summary.js";
export * from "./plugin-check.js";
export * from "./sources.js";
export * from "./plan.js";
export * from "./moves.js";
export * from "./library-status.js";
export * from "./library-folders.js";
export * from "./settings.js";
export type { ViewDoc } from "./view.js";

import { bookListDoc } from "./book-row.js";
import { bookDetailDoc } from "./book-detail.js";
import { layerListDoc } from "./layer-row.js";
import { pluginListDoc } from "./plugin-entry.js";
import { pluginHealthDoc } from "./plugin-health.js";
import { callLogDoc } from "./call-log.js";
import { scanSummaryDoc } from "./scan-summary.js";
import { processSummaryDoc } from "./process-summary.js";
import { pluginTestDoc, pluginValidateDoc } from "./plugin-check.js";
import { sourceListDoc, sourceTestDoc } from "./sources.js";
import { planDoc } from "./plan.js";
import { applyReportDoc, historyDoc, undoReportDoc } from "./moves.js";
import { libraryStatusDoc } from "./library-status.js";
import { libraryChangeDoc, libraryListDoc } from "./library-folders.js";
import { configChangeDoc, configListDoc, secretChangeDoc, secretListDoc } from "./settings.js";
import type { ViewDoc } from "./view.js";

/** The views in the order docs/cli-json.md shows them. */
export const VIEW_DOCS: readonly ViewDoc[] = [
  libraryStatusDoc,
  libraryListDoc,
  libraryChangeDoc,
  bookListDoc,
  bookDetailDoc,
  scanSummaryDoc,
  processSummaryDoc,
  layerListDoc,
  pluginListDoc,
  pluginHealthDoc,
  callLogDoc,
  pluginValidateDoc,
  pluginTestDoc,
  sourceListDoc,
  sourceTestDoc,
  planDoc,
  applyReportDoc,
  undoReportDoc,
  historyDoc,
  configListDoc,
  configChangeDoc,
  secretListDoc,
  secretChangeDoc,
];
