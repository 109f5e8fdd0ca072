/**
 * Hides secret values in text shelfwise shows or keeps: a plugin's log, its
 * error messages, an HTTP source's URLs and answers. Each secret is looked
 * for in the spellings text may carry it in (as is, URL-encoded, form-encoded,
 * inside a JSON string). Masking is for slips (a plugin printing its API key
 * while debugging, an API echoing the key): a plugin that means to leak its
 * own secret can always encode it, and that is the wall's business.
 */
export const SECRET_MASK = "***";

/** Shorter values are not looked for: masking every "a" or "12" would garble logs and refuse real values. */
export const MIN_MASKED_CHARS = 4;

export interface SecretMask {
  /** `text` with every spelling of every secret replaced by SECRET_MASK. */
  text(text: string): string;
  /** Whether `text` holds a secret. */
  holds(text: string): boolean;
  /** The spellings looked for, longest first (empty: nothing to mask). */
  readonly forms: readonly string[];
}

export function secretMask(values: Iterable<string>, extraForms: Iterable<string> = [], minChars = MIN_MASKED_CHARS): SecretMask {
  const forms = new Set<string>();
  for (const value of values) {
    if (typeof value !== "string" || value.length < Math.max(1, minChars)) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ x: value }).toString().slice(2));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  for (const form of extraForms) if (form.length > 0) forms.add(form);
  // Longest first, so a spelling that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return {
    forms: ordered,
    text(text) {
      let out = text;
      for (const form of ordered) if (out.includes(form)) out = out.split(form).join(SECRET_MASK);
      return out;
    },
    holds: (text) => ordered.some((form) => text.includes(form)),
  };
}
