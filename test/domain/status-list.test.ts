import { describe, expect, it } from "vitest";
import { readStatusList } from "../../src/domain/status-list.js";

const VALID = ["new", "identified", "missing"];

describe("readStatusList: the --status / status= list of the CLI and the API", () => {
  it("takes one status or a comma-separated list, spaces trimmed, repeats dropped", () => {
    expect(readStatusList("identified", VALID)).toEqual({ ok: true, statuses: ["identified"] });
    expect(readStatusList(" new , identified,new", VALID)).toEqual({ ok: true, statuses: ["new", "identified"] });
  });
  it("refuses no status, an empty item and an unknown status, naming it", () => {
    expect(readStatusList(" , ", VALID)).toEqual({ ok: false, problem: "no_status" });
    expect(readStatusList("new,,identified", VALID)).toEqual({ ok: false, problem: "empty_item" });
    expect(readStatusList("identified,", VALID)).toEqual({ ok: false, problem: "empty_item" });
    expect(readStatusList("identified,bogus", VALID)).toEqual({ ok: false, problem: "unknown", item: "bogus" });
  });
});
