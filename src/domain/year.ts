/**
 * Publication years: one notion of a plausible year for every source, so a
 * year one reader keeps is never one another would refuse.
 */
import { lazyRegExp } from "./lazy-regexp.js";

export const MIN_YEAR = 1000;

/** Latest plausible year: releases are announced a little ahead. */
export function latestYear(): number {
  return new Date().getFullYear() + 2;
}

export function isPlausibleYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_YEAR && year <= latestYear();
}

const YEAR_FIRST =
  /^[[(]?(?:ca\.?|c\.?|©|℗|p)?\s*(\d{4})(?:[-./]\d{1,2}(?:[-./]\d{1,2})?)?(?:[T ][\d:.+\-z]*)?[\])]?$/i;
const YEAR_LAST = /^\d{1,2}[-./]\d{1,2}[-./](\d{4})$/;

/** A whole value that is a year or a date: "1999", "(1999)", "1999-05-12", "12/05/1999", "©1999" → "1999"; else null. */
export function parseYear(value: string): string | null {
  const s = value.trim();
  const m = YEAR_FIRST.exec(s) ?? YEAR_LAST.exec(s);
  return m !== null && isPlausibleYear(Number(m[1])) ? m[1] : null;
}

const YEAR_IN_TEXT = lazyRegExp(() => /(?<!\d)(\d{4})(?!\d)/);

/** The first four-digit number in free text ("May 2006", "Tue, 02 May 2006") when it is a plausible year; else null. */
export function findYear(text: string): string | null {
  const m = YEAR_IN_TEXT().exec(text);
  return m !== null && isPlausibleYear(Number(m[1])) ? m[1] : null;
}
