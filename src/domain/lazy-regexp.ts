/**
 * A regular expression built on its first use, then kept (the same object, so a `g` or `y`
 * expression's lastIndex behaves as a module constant's). The name parsing holds some hundred
 * expressions with Unicode property classes (`\p{Lu}`), which V8 parses when it builds them:
 * built at import they cost every command that loads the name parsing ~10 ms of CPU, though `plan`
 * and `apply` use none of them and `book ID` a handful.
 */
export function lazyRegExp(build: () => RegExp): () => RegExp {
  let built: RegExp | undefined;
  return () => (built ??= build());
}
