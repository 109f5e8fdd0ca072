// The smallest useful plugin: it writes one line per book to its log and
// claims nothing. Copy this folder into your plugin directory to start.
//
// shelfwise runs this file in its own process. Whatever it prints (console.log
// or console.error) goes to <data-dir>/logs/plugins/example-logger.log, never to
// shelfwise's own output, so logging is safe and cheap.
import { BasePlugin } from "shelfwise/plugin";

export default class ExampleLogger extends BasePlugin {
  // Called once when the plugin process starts, with plugin_configs["example-logger"]
  // from config.json and the secrets listed in requires_secrets (none here).
  setup(config, secrets) {
    super.setup(config, secrets); // keeps them as this.config and this.secrets
    this.seen = 0;
  }

  // Called for every book that has not passed this layer yet. `book` is a plain
  // copy: changing it changes nothing in shelfwise.
  process(book) {
    this.seen += 1;
    const known = book.current_author && book.current_title ? `${book.current_author} - ${book.current_title}` : "(not identified yet)";
    console.error(`book ${book.book_id}: ${book.path} -> ${known} [confidence ${book.confidence}]`);
    // null (or {}) means "no opinion": the book passes this layer unchanged.
    return null;
  }

  // Called once at shutdown (at most 5 seconds).
  teardown() {
    console.error(`example-logger saw ${this.seen} book(s)`);
  }
}
