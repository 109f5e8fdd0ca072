/**
 * The one list of what a plugin's launch hands it that shelfwise never shows: its declared secrets and the
 * values of its settings that config_schema marks secret. Every mask of a plugin's text (log, refusals, exit
 * messages, answers, start records) is built from it, so none of them misses the settings' values.
 */
import { secretMask, type SecretMask } from "../domain/secret-mask.js";
import type { LaunchSpec } from "./plugin-types.js";

export function specSecretValues(spec: Pick<LaunchSpec, "secrets" | "maskedValues">): string[] {
  return [...Object.values(spec.secrets ?? {}), ...(spec.maskedValues ?? [])];
}

export function specSecretMask(spec: Pick<LaunchSpec, "secrets" | "maskedValues">, more: Iterable<string> = []): SecretMask {
  return secretMask([...more, ...specSecretValues(spec)]);
}
