/** What the CLI and the web server call. */
export { buildPlan, buildPlanInSlices, targetRootOf } from "./plan.js";
export { applyMoves, type ApplyOptions, type LockOptions } from "./apply.js";
export { passedOver, undoMoves, type UndoOptions } from "./undo.js";
export { movesNotStartedByStop, stopMovesAtNextChunk } from "./execute.js";
export { historyPage, listHistory } from "./history.js";
export { fuseJudgements } from "./fuse-check.js";
export { recoverInterrupted, recoverAtOpen, onRecovery } from "./recovery.js";
export { setUserFields, setBookLocked, fieldsNotSetByUser, checkUserEdits, CorrectionError, StaleCorrectionError, type UserFieldEdits } from "./corrections.js";
export * from "./types.js";
export { homeIsHere, copiedDataFolder, copiedDataFolderWarning, type CopiedDataFolder } from "./data-home.js";
