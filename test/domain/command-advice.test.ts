import { describe, expect, it } from "vitest";
import { ADVICE, forPages } from "../../src/domain/command-advice.js";

describe("command advice on pages", () => {
  it("says each piece of CLI advice in a page's words, with its names kept", () => {
    expect(forPages(`disabled by the user (${ADVICE.pluginEnable.cli()})`)).toBe("disabled by the user (Enable on the Plugins page turns it on)");
    expect(forPages(`enabled: false in config.json (${ADVICE.sourceEnable.cli()})`)).toBe("enabled: false in config.json (Enable under HTTP sources on the Plugins page turns it on)");
    expect(forPages(`needs secret a, which is granted to plugin p; needs secret b, revoked from it: ${ADVICE.pluginGrantRun.cli("q", "a b", "share them")}`)).toBe(
      "needs secret a, which is granted to plugin p; needs secret b, revoked from it: Grant a, b on the page of plugin q (Plugins) to share them",
    );
    expect(forPages(`revoked: ${ADVICE.pluginGrantShares.cli("q", "token", "gives it back")}`)).toBe("revoked: Grant token on the page of plugin q (Plugins) gives it back");
  });

  it("leaves no CLI command in any advice a page shows, and other text as it is", () => {
    const samples: Record<keyof typeof ADVICE, string[]> = {
      pluginEnable: [],
      sourceEnable: [],
      pluginGrantRun: ["id_1", "name_1 name-2", "give them back"],
      pluginGrantShares: ["id_1", "name_1", "shares it"],
    };
    for (const [key, advice] of Object.entries(ADVICE) as [string, { cli: (...args: string[]) => string }][]) expect(forPages(`why: ${advice.cli(...samples[key as keyof typeof ADVICE])}.`)).not.toMatch(/`shelfwise /);
    // Words an older shelfwise stored (the plugin named in the command), and text that only looks alike.
    expect(forPages("disabled by the user (`shelfwise plugins enable p` turns it on)")).toBe("disabled by the user (Enable on the Plugins page turns it on)");
    expect(forPages("run `shelfwise scan` first")).toBe("run `shelfwise scan` first");
  });
});
