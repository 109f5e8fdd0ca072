/** The data folder's layout lives in config/ (plugins build paths in it too); re-exported for app code. */
export { DEFAULT_DATA_DIR, dataDirLayout, dataDirSource, resolveDataDir, type DataDirLayout, type DataDirSource } from "../config/data-dir.js";
