import { describe, expect, it } from "vitest";
import { builtinLayers, localLayers } from "../../src/app/builtin-layers.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { BUILTIN_LAYER_IDS, LOCAL_LAYER_IDS, type BuiltinLayerId } from "../../src/pipeline/layers/builtin-ids.js";
import { builtinLayerIdentity } from "../../src/app/builtin-identity.js";

describe("the built-in layer list", () => {
  it("builds exactly the layers BUILTIN_LAYER_IDS names, in that order", () => {
    expect(builtinLayers(defaultConfig()).map((l) => l.info.layer_id)).toEqual([...BUILTIN_LAYER_IDS]);
    expect(builtinLayers(defaultConfig()).every((l) => l.info.kind === "builtin")).toBe(true);
  });

  it("the local layers are the offline ones, in pipeline order", () => {
    expect(localLayers(defaultConfig()).map((l) => l.info.layer_id)).toEqual([...LOCAL_LAYER_IDS]);
    const order = localLayers(defaultConfig()).map((l) => l.info.default_order);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

describe("a built-in layer whose answers a release changed runs again", () => {
  // Each row: the revision a database written before the change holds, and what changed the layer's answers since.
  // A layer's identity must differ from it, or the stored answers stay (Layer.identity, builtin-identity.ts).
  it.each<[BuiltinLayerId, string, string]>([
    ["openlibrary", "openlibrary-1", "an answer naming only an anthology's many writers resolves nothing (garbage.ts)"],
    ["path", "path-29", "a volume then its part, markup kept whole, a life's subject (path-30)"],
    ["embedded_tags", "embedded_tags-26", "a part closing a title in any language, catalogue-order names"],
    ["sidecar", "sidecar-27", "a part closing a title in any language, catalogue-order names"],
    ["path", "path-30", "a release word after a writer alone, a padded episode, a publisher's label, a life's folder (path-31)"],
    ["embedded_tags", "embedded_tags-27", "a publisher's label in brackets, a padded episode, a leading ellipsis (embedded_tags-28)"],
    ["sidecar", "sidecar-28", "a release word after a writer alone, a leading ellipsis (sidecar-29)"],
    ["path", "path-31", "a part glued at the name's end, a writer's folder before a padded number, tools' layouts, a zero-width joiner beside a space or ASCII goes (path-32)"],
    ["embedded_tags", "embedded_tags-28", "an album's glued part, a reader as album artist, AUTHOR beside a reader, appended ID3v2.4, two TXXX frames, long values refused (embedded_tags-29)"],
    ["sidecar", "sidecar-29", "a title's glued part, a value past 300 characters refused, not cut (sidecar-30)"],
    ["path", "path-32", "LibriVox section files, BBC labels, works named for heroes, editors and translators, roman places, chapter files, 'Series #1' folders (path-33)"],
    ["embedded_tags", "embedded_tags-29", "multiplexed Ogg's first stream, unmarked big-endian UTF-16, ID3v2.2 TXX, Shift-JIS marked Latin-1, a bare number as title (embedded_tags-30)"],
    ["sidecar", "sidecar-30", "a tracker's language tag, a translator's credit, a spelled position before a colon (sidecar-31)"],
    ["path", "path-33", "track and chapter pieces closing a name, glued camel titles, a co-writer 'with', Greek and Arabic names, dotted Chinese titles, a surname-alone translator, year spans (path-34)"],
    ["embedded_tags", "embedded_tags-30", "the shared name readings of path-34; copyright years, repeated values cut before the parse, LibriVox as album artist, a grouping's position (embedded_tags-31)"],
    ["sidecar", "sidecar-31", "the shared name readings of path-34: co-writers, translators, track and chapter pieces (sidecar-32)"],
    ["path", "path-34", "'Mistborn - 01' folders as series and place, iTunes' track files, 'Dune 001.mp3', writers before series codes, Greek and Arabic given names, articled series folders (path-35)"],
    ["embedded_tags", "embedded_tags-31", "the shared name readings of path-35; comment lists and MP4 data atoms bounded before the parse, BOOK NUMBER, VOLUME, tves, tvsh and SERIESTITLE (embedded_tags-32)"],
    ["sidecar", "sidecar-32", "the shared name readings of path-35 (sidecar-33)"],
    ["path", "path-35", "the reader after the year, a file repeating its place folder, Ibn/Al- writers, series named Files/Archive, chapter files at the root, ISBN-13 fields (path-36)"],
    ["embedded_tags", "embedded_tags-32", "the shared name readings of path-36; ID3v2 frames bounded, unsynchronisation undone, the bytes decide the parser, ID3v2.4 plain frame sizes, slash-joined names (embedded_tags-33)"],
    ["sidecar", "sidecar-33", "the shared name readings of path-36 (sidecar-34)"],
    ["path", "path-36", "lone series words and 'The Expanse' at the root, a reader third, notes after the year, nested and open brackets, translators' short credits, heroes and title-opening series (path-37)"],
    ["embedded_tags", "embedded_tags-33", "the shared name readings of path-37; mojibake repaired and said, APEv2 of misnamed MP3s, v2.4 header unsynchronisation, WAV and WMA sniffed, MP4 without moov (embedded_tags-34)"],
    ["sidecar", "sidecar-34", "the shared name readings of path-37 (sidecar-35)"],
    ["path", "path-37", "underscored names with the writer last, regions in brackets, bare ranges closing a name, a lone word before two unknown words, Hebrew and Arabic writers before a number (path-38)"],
    ["embedded_tags", "embedded_tags-34", "the shared name readings of path-38 (embedded_tags-35)"],
    ["sidecar", "sidecar-35", "the shared name readings of path-38 (sidecar-36)"],
    ["path", "path-38", "a person's shape on either side, readers after a title under a writer's folder, heroes and world folders as series, underscored given names, Hebrew and Arabic series, heroes before a person, hero folders over numbered books, more surnames and given names (path-39)"],
    ["embedded_tags", "embedded_tags-35", "the shared name readings of path-39; ID3v2 genre by the spec, WAV tags after an overrunning data chunk, lying ASF sizes, compressed frames inflated, ASF texts past their block dropped (embedded_tags-36)"],
    ["sidecar", "sidecar-36", "the shared name readings of path-39 (sidecar-37)"],
    ["path", "path-39", "an articled title before a lone surname, readers before the title under a writer's folder, hero folders over unnumbered books as series, volume words beside person-shaped works, a lone part word, 'Część', a series before '#N', numbers joined by underscores, names in one case recased (path-40)"],
    ["embedded_tags", "embedded_tags-36", "the shared name readings of path-40 (embedded_tags-37)"],
    ["sidecar", "sidecar-37", "the shared name readings of path-40 (sidecar-38)"],
  ])("%s no longer answers as %s did: %s", (id, stale) => {
    const config = defaultConfig();
    const staleIdentity = builtinLayerIdentity(id, config).replace(/^[^:]+:/u, `${stale}:`);
    expect(builtinLayerIdentity(id, config)).not.toBe(staleIdentity);
  });
});
