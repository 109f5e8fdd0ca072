/**
 * Turns V8's `JSON.parse` error (a character position) into what an editor
 * shows: line and column, both 1-based.
 */
export interface JsonSyntaxProblem {
  line: number;
  column: number;
  /** V8's description without the position, e.g. "Expected ',' or '}' after property value". */
  message: string;
}

export function jsonSyntaxProblem(text: string, error: Error): JsonSyntaxProblem {
  const match = /^(.*?)(?: in JSON)? at position (\d+)/s.exec(error.message);
  // "Unexpected end of JSON input" names no position: the problem is at the end.
  const position = match ? Math.min(Number(match[2]), text.length) : text.length;
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - (before.lastIndexOf("\n") + 1) + 1;
  const message = (match ? match[1]! : error.message.replace(/ of JSON input$/, "")).replace(/ \(line \d+ column \d+\)$/, "");
  return { line, column, message };
}
