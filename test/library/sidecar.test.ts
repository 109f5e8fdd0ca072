import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Claim } from "../../src/domain/fields.js";
import { MAX_SIDECAR_BYTES, readSidecars } from "../../src/library/sidecar.js";
import { decodeEntities, parseXml, textOf } from "../../src/library/xml-lite.js";

let dir: string;
let seq = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-sidecar-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A book folder holding the given files (string or raw bytes). */
function folder(files: Record<string, string | Buffer>): string {
  const root = path.join(dir, `book-${++seq}`);
  fs.mkdirSync(root);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(root, name), content);
  return root;
}

function asRecord(claims: Claim[]): Record<string, string> {
  const record = Object.fromEntries(claims.map((c) => [c.field, c.value]));
  expect(Object.keys(record)).toHaveLength(claims.length);
  return record;
}

const ABS_JSON = JSON.stringify({
  title: "The Final Empire",
  subtitle: "Mistborn Book One",
  authors: ["Brandon Sanderson"],
  narrators: ["Michael Kramer"],
  series: ["Mistborn #1"],
  genres: ["Fantasy"],
  publishedYear: "2006",
  publishedDate: null,
  language: "English",
  description: "For a thousand years the ash fell.",
  asin: "B002UZMLXM",
});

const CALIBRE_OPF = `<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="uuid_id" version="2.0">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier opf:scheme="calibre" id="calibre_id">42</dc:identifier>
    <dc:title>Good Omens: The Nice &amp; Accurate Prophecies</dc:title>
    <dc:creator opf:file-as="Pratchett, Terry" opf:role="aut">Terry Pratchett</dc:creator>
    <dc:creator opf:role="aut">Neil Gaiman</dc:creator>
    <dc:creator opf:role="nrt">Martin Jarvis</dc:creator>
    <dc:creator opf:role="ill">Someone Else</dc:creator>
    <dc:date>1990-05-01T00:00:00+00:00</dc:date>
    <dc:language>en</dc:language>
    <dc:description>&lt;p&gt;The world ends on Saturday.&lt;/p&gt;</dc:description>
    <!-- <dc:title>Commented Out</dc:title> -->
    <meta name="calibre:series" content="Standalone &#x26; Friends"/>
    <meta name="calibre:series_index" content="1.0"/>
  </metadata>
  <guide/>
</package>`;

/** The release notes inAudible and AAXtoMP3 write, which most shared audiobook releases copy. */
const INAUDIBLE_NFO = `General Information
===================
 Title:                  Project Hail Mary (Unabridged)
 Author:                 Andy Weir
 Read By:                Ray Porter
 Copyright:              2021
 Audiobook Copyright:    2021
 Genre:                  Audiobook
 Publisher:              Audible Studios
 Series Name:            
 Position in Series:     
 Abridged:               No

Original Media Information
==========================
 Media:                  Downloaded
 Source:                 Audible

File Information
================
 Number of MP3s:         40
 Encoded At:             64 kbit/s 22050 Hz Mono

Book Description
================
Ryland Grace is the sole survivor on a desperate, last-chance mission.

If he fails, humanity and the earth itself will perish.
`;

const OPF3 = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title id="t1"><![CDATA[Leviathan Wakes]]></dc:title>
    <dc:creator id="c1">James S. A. Corey</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <dc:creator id="c2">Jefferson Mays</dc:creator>
    <meta refines="#c2" property="role" scheme="marc:relators">nrt</meta>
    <dc:date>2011</dc:date>
    <meta property="belongs-to-collection" id="s1">The Expanse</meta>
    <meta refines="#s1" property="collection-type">series</meta>
    <meta refines="#s1" property="group-position">1</meta>
  </metadata>
</package>`;

describe("readSidecars: each format", () => {
  it("Audiobookshelf metadata.json", async () => {
    const result = await readSidecars(folder({ "metadata.json": ABS_JSON }));
    expect(asRecord(result.claims)).toEqual({
      title: "The Final Empire",
      subtitle: "Mistborn Book One",
      author: "Brandon Sanderson",
      narrator: "Michael Kramer",
      series: "Mistborn",
      series_num: "1",
      year: "2006",
      language: "English",
    });
    expect(result.description).toBe("For a thousand years the ash fell.");
    expect(result.problems).toEqual([]);
  });

  it("metadata.json with series objects, several authors and a publishedDate", async () => {
    const json = JSON.stringify({
      title: "Good Omens",
      authors: ["Terry Pratchett", { name: "Neil Gaiman" }],
      narrators: [],
      series: [{ name: "Standalone", sequence: "01" }, "Other #4"],
      publishedDate: "1990-05-01",
    });
    const result = await readSidecars(folder({ "metadata.json": json }));
    expect(asRecord(result.claims)).toEqual({
      title: "Good Omens",
      author: "Terry Pratchett & Neil Gaiman",
      series: "Standalone",
      series_num: "1",
      year: "1990",
    });
  });

  it("older metadata.json with singular author/narrator strings", async () => {
    const json = JSON.stringify({ title: "Dune", author: "Frank Herbert", narrator: "Scott Brick", series: "Dune Chronicles, Book 1" });
    const result = await readSidecars(folder({ "metadata.json": json }));
    expect(asRecord(result.claims)).toEqual({
      title: "Dune",
      author: "Frank Herbert",
      narrator: "Scott Brick",
      series: "Dune Chronicles",
      series_num: "1",
    });
  });

  // sidecar-26: a dramatization's tag in the title is the variant, as a folder's name or an album says it; a title of
  // another language beside its series gives the series its position.
  it.each([
    [{ title: "The Way of Kings (GraphicAudio)", author: "Brandon Sanderson" }, { title: "The Way of Kings", author: "Brandon Sanderson", variant: "GraphicAudio" }],
    [{ title: "Dune [Full Cast Dramatization]", author: "Frank Herbert" }, { title: "Dune", author: "Frank Herbert", variant: "Full Cast Dramatization" }],
    [{ title: "Tintenblut, Band 2", author: "Cornelia Funke", series: "Tintenwelt" }, { title: "Tintenblut", author: "Cornelia Funke", series: "Tintenwelt", series_num: "2" }],
    // Negative row: a title's own brackets stay.
    [{ title: "The Real Inspector Hound (A Play)", author: "Tom Stoppard" }, { title: "The Real Inspector Hound (A Play)", author: "Tom Stoppard" }],
  ])("metadata.json %j", async (record, want) => {
    const result = await readSidecars(folder({ "metadata.json": JSON.stringify(record) }));
    expect(asRecord(result.claims)).toEqual(want);
  });

  it("calibre OPF 2: roles, entities, series index, date", async () => {
    const result = await readSidecars(folder({ "metadata.opf": CALIBRE_OPF }));
    expect(asRecord(result.claims)).toEqual({
      title: "Good Omens: The Nice & Accurate Prophecies",
      author: "Terry Pratchett & Neil Gaiman",
      narrator: "Martin Jarvis",
      series: "Standalone & Friends",
      series_num: "1",
      year: "1990",
      language: "en",
    });
    expect(result.description).toBe("<p>The world ends on Saturday.</p>");
    expect(result.problems).toEqual([]);
  });

  it("OPF 3: refined roles, CDATA title, belongs-to-collection series", async () => {
    const result = await readSidecars(folder({ "Leviathan Wakes.opf": OPF3 }));
    expect(asRecord(result.claims)).toEqual({
      title: "Leviathan Wakes",
      author: "James S. A. Corey",
      narrator: "Jefferson Mays",
      series: "The Expanse",
      series_num: "1",
      year: "2011",
    });
  });

  // Calibre keeps the reader and other series in custom columns: JSON in a meta's content attribute (sidecar-25).
  describe("calibre custom columns", () => {
    const column = (key: string, json: string) => `<meta name="calibre:user_metadata:${key}" content='${json}'/>`;
    const calibre = (...metas: string[]) =>
      `<package><metadata><dc:title>The Eye of the World</dc:title><dc:creator opf:role="aut">Robert Jordan</dc:creator>${metas.join("")}</metadata></package>`;
    const read = async (opf: string) => asRecord((await readSidecars(folder({ "metadata.opf": opf }))).claims);
    const base = { title: "The Eye of the World", author: "Robert Jordan" };

    it.each([
      ["#narrator with one text", column("#narrator", `{"table": "custom_column_1", "datatype": "text", "is_multiple": {}, "#value#": "Kate Reading", "#extra#": null, "name": "Narrator"}`), { narrator: "Kate Reading" }],
      ["#narrators with a list", column("#narrators", `{"datatype": "text", "#value#": ["Kate Reading", "Michael Kramer"], "#extra#": null}`), { narrator: "Kate Reading & Michael Kramer" }],
      ["#reader, entities as calibre escapes them", `<meta name="calibre:user_metadata:#reader" content="{&quot;#value#&quot;: &quot;Michael Kramer&quot;}"/>`, { narrator: "Michael Kramer" }],
      ["a series-type column, #extra# its index", column("#wot", `{"datatype": "series", "#value#": "The Wheel of Time", "#extra#": 1.0}`), { series: "The Wheel of Time", series_num: "1" }],
      ["#series with a text index", column("#series", `{"datatype": "text", "#value#": "The Wheel of Time", "#extra#": "2"}`), { series: "The Wheel of Time", series_num: "2" }],
      ["a column of another name", column("#genre", `{"#value#": "Fantasy"}`), {}],
      // sidecar-26: the reader under the other words libraries give the column, or under its label whatever its name.
      ["#performer", column("#performer", `{"datatype": "text", "#value#": "Kate Reading", "name": "Performer"}`), { narrator: "Kate Reading" }],
      ["#performers with a list", column("#performers", `{"datatype": "text", "#value#": ["Kate Reading", "Michael Kramer"]}`), { narrator: "Kate Reading & Michael Kramer" }],
      ["#audiobook_narrator", column("#audiobook_narrator", `{"#value#": "Michael Kramer"}`), { narrator: "Michael Kramer" }],
      ["#sprecher", column("#sprecher", `{"#value#": "Rufus Beck"}`), { narrator: "Rufus Beck" }],
      ["#чтец", column("#чтец", `{"#value#": "Michael Kramer"}`), { narrator: "Michael Kramer" }],
      ["a column labelled Narrator", column("#column3", `{"datatype": "text", "#value#": "Kate Reading", "name": "Narrated By"}`), { narrator: "Kate Reading" }],
      ["#performance is no reader", column("#performance", `{"#value#": "Kate Reading"}`), {}],
      ["#voice_actor_notes is no reader", column("#voice_notes", `{"#value#": "Kate Reading"}`), {}],
    ])("%s", async (_name, meta, want) => {
      expect(await read(calibre(meta))).toEqual({ ...base, ...want });
    });

    // Hostile or odd content: passed over, the next column and the rest of the OPF still read.
    it.each([
      ["invalid JSON", column("#narrator", `{"#value#": "Kate Reading"`)],
      ["nested too deep", column("#narrator", `{"#value#": ${"[".repeat(5000)}"Kate Reading"${"]".repeat(5000)}}`)],
      ["huge", column("#narrator", `{"#value#": "Kate Reading", "pad": "${"x".repeat(200_000)}"}`)],
      ["a value that is no text", column("#narrator", `{"#value#": {"name": "Kate Reading"}}`)],
      ["JSON that is no object", column("#narrator", `["Kate Reading"]`)],
      ["a list of lists", column("#narrator", `{"#value#": [["Kate Reading"]]}`)],
    ])("%s", async (_name, meta) => {
      expect(await read(calibre(meta, column("#reader", `{"#value#": "Michael Kramer"}`)))).toEqual({ ...base, narrator: "Michael Kramer" });
    });

    it("a narrator's role and calibre's own series win over the columns", async () => {
      const opf = calibre(
        `<dc:contributor opf:role="nrt">Michael Kramer</dc:contributor>`,
        `<meta name="calibre:series" content="Wheel of Time"/><meta name="calibre:series_index" content="3"/>`,
        column("#narrator", `{"#value#": "Kate Reading"}`),
        column("#series", `{"datatype": "series", "#value#": "Other", "#extra#": 9}`),
      );
      expect(await read(opf)).toEqual({ ...base, narrator: "Michael Kramer", series: "Wheel of Time", series_num: "3" });
    });
  });

  it("OPF creator without a role is an author", async () => {
    const opf = `<package><metadata><dc:title>Dune</dc:title><dc:creator>Frank Herbert</dc:creator></metadata></package>`;
    const result = await readSidecars(folder({ "book.opf": opf }));
    expect(asRecord(result.claims)).toEqual({ title: "Dune", author: "Frank Herbert" });
  });

  it("desc.txt is the description and claims nothing", async () => {
    const result = await readSidecars(folder({ "desc.txt": "\uFEFFFirst paragraph.\r\n\r\n\r\n\r\nSecond   paragraph.\n" }));
    expect(result.claims).toEqual([]);
    expect(result.description).toBe("First paragraph.\n\nSecond paragraph.");
  });

  it("desc.txt saved as UTF-16 with a BOM (Windows Notepad)", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Café au lait.", "utf16le")]);
    const result = await readSidecars(folder({ "desc.txt": utf16 }));
    expect(result.description).toBe("Café au lait.");
  });

  // Notepad's "ANSI", calibre on Windows, an OPF declared ISO-8859-1: 8-bit text that is not UTF-8.
  it("reader.txt, desc.txt and an OPF saved as Windows-1252 / Latin-1 keep their accents", async () => {
    const cp1252 = (text: string) => Buffer.from(text.replace(/’/g, "\x92"), "latin1");
    const opf = `<?xml version="1.0" encoding="ISO-8859-1"?><package><metadata><dc:title>L’Étranger</dc:title><dc:creator opf:role="aut">Albert Camus</dc:creator></metadata></package>`;
    const result = await readSidecars(
      folder({ "reader.txt": cp1252("José Ferrer\r\nZoë Wanamaker\r\n"), "desc.txt": cp1252("Un roman d’été."), "book.opf": cp1252(opf) }),
    );
    expect(asRecord(result.claims)).toEqual({ title: "L’Étranger", author: "Albert Camus", narrator: "José Ferrer & Zoë Wanamaker" });
    expect(result.description).toBe("Un roman d’été.");
    expect(result.problems).toEqual([]);
  });

  it("reader.txt and an OPF saved as Windows-1251 (Russian Windows' \"ANSI\") read as the Cyrillic they are", async () => {
    const cp1251 = (text: string) => Buffer.from([...text].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : c.charCodeAt(0) - 0x410 + 0xc0)));
    const opf = `<?xml version="1.0" encoding="windows-1251"?><package><metadata><dc:title>Анна Каренина</dc:title><dc:creator opf:role="aut">Лев Толстой</dc:creator></metadata></package>`;
    const result = await readSidecars(folder({ "reader.txt": cp1251("Александр Клюквин\r\n"), "book.opf": cp1251(opf) }));
    expect(asRecord(result.claims)).toEqual({ title: "Анна Каренина", author: "Лев Толстой", narrator: "Александр Клюквин" });
  });

  it("a UTF-8 file with one pasted Latin-1 line keeps both lines right", async () => {
    const bytes = Buffer.concat([Buffer.from("Ærin Ødegård\n", "utf8"), Buffer.from("José Ferrer\n", "latin1")]);
    const result = await readSidecars(folder({ "reader.txt": bytes }));
    expect(asRecord(result.claims)).toEqual({ narrator: "Ærin Ødegård & José Ferrer" });
  });

  it("reader.txt names the narrators, one per line", async () => {
    const result = await readSidecars(folder({ "reader.txt": "Michael Kramer\r\nKate Reading\n\n" }));
    expect(asRecord(result.claims)).toEqual({ narrator: "Michael Kramer & Kate Reading" });
  });

  it("reader.txt lines lose their reader phrase; 'gelesen vom Autor' names no one without a writer", async () => {
    const result = await readSidecars(folder({ "reader.txt": "Gelesen von Rufus Beck\nRead by: Kate Reading\ngelesen vom Autor\nLu Parker\n" }));
    expect(asRecord(result.claims)).toEqual({ narrator: "Rufus Beck, Kate Reading & Lu Parker" });
  });

  it("an inAudible/AAXtoMP3 release .nfo: title without (Unabridged), author, reader, copyright year, description section", async () => {
    const result = await readSidecars(folder({ "Andy.Weir.-.Project.Hail.Mary.nfo": INAUDIBLE_NFO }));
    expect(asRecord(result.claims)).toEqual({ title: "Project Hail Mary", author: "Andy Weir", narrator: "Ray Porter", year: "2021" });
    expect(result.description).toBe("Ryland Grace is the sole survivor on a desperate, last-chance mission.\n\nIf he fails, humanity and the earth itself will perish.");
  });

  it("a scene .nfo framed in box art with dotted keys: series and position, the title without the series' name; unknown keys name nothing", async () => {
    const nfo = [
      "╔══════════════════════════════════════╗",
      "║  Title.......: The Expanse 01 - Leviathan Wakes   ║",
      "║  Author......: James S. A. Corey                  ║",
      "║  Narrator....: Jefferson Mays                     ║",
      "║  Series......: The Expanse, Book 1                ║",
      "║  Year........: 2011                               ║",
      "║  Bitrate.....: 64 kbps                            ║",
      "║  Greetings...: to all our friends                 ║",
      "╚══════════════════════════════════════╝",
    ].join("\r\n");
    const result = await readSidecars(folder({ "grp.nfo": nfo }));
    expect(asRecord(result.claims)).toEqual({ title: "Leviathan Wakes", author: "James S. A. Corey", narrator: "Jefferson Mays", series: "The Expanse", series_num: "1", year: "2011" });
  });

  it("a cue sheet's header: TITLE the book, PERFORMER the writer, SONGWRITER the reader, REM DATE the year; tracks name chapters", async () => {
    const cue = ['REM GENRE Audiobook', 'REM DATE 1965', 'PERFORMER "Frank Herbert"', 'TITLE "Dune (Unabridged)"', 'SONGWRITER "Read by Scott Brick"', 'FILE "Dune.mp3" MP3', '  TRACK 01 AUDIO', '    TITLE "Chapter 1"', '    PERFORMER "Someone Else"', '    INDEX 01 00:00:00'].join("\n");
    const result = await readSidecars(folder({ "Dune.cue": cue }));
    expect(asRecord(result.claims)).toEqual({ title: "Dune", author: "Frank Herbert", narrator: "Scott Brick", year: "1965" });
  });

  it("an OPF outranks a .nfo and a cue sheet field by field; they fill what it leaves out", async () => {
    const result = await readSidecars(folder({ "metadata.opf": OPF3, "release.nfo": INAUDIBLE_NFO, "book.cue": 'TITLE "Other"\nREM DATE 1999\n' }));
    expect(asRecord(result.claims)).toMatchObject({ title: "Leviathan Wakes", author: "James S. A. Corey", narrator: "Jefferson Mays", year: "2011" });
    expect(result.description).toMatch(/^Ryland Grace/);
  });

  it("a book.json of Audible's record: authors and narrators as objects, series [{title, sequence}], release_date", async () => {
    const record = { asin: "B0052OM9XK", title: "Leviathan Wakes", authors: [{ asin: "B004", name: "James S. A. Corey" }], narrators: [{ name: "Jefferson Mays" }], series: [{ asin: "B0", title: "The Expanse", sequence: "1" }], release_date: "2011-06-15", language: "english" };
    const result = await readSidecars(folder({ "book.json": JSON.stringify(record) }));
    expect(asRecord(result.claims)).toEqual({ title: "Leviathan Wakes", author: "James S. A. Corey", narrator: "Jefferson Mays", series: "The Expanse", series_num: "1", year: "2011", language: "english" });
  });

  it("a book.json of Audnexus's record (seriesPrimary, releaseDate) and a flat one (Title, series_name, series_index, year)", async () => {
    const audnexus = { title: "Caliban's War", authors: [{ name: "James S. A. Corey" }], seriesPrimary: { name: "The Expanse", position: "2" }, releaseDate: "2012-06-26T00:00:00.000Z", summary: "<p>War.</p>" };
    expect(asRecord((await readSidecars(folder({ "book.json": JSON.stringify(audnexus) }))).claims)).toEqual({ title: "Caliban's War", author: "James S. A. Corey", series: "The Expanse", series_num: "2", year: "2012" });
    const flat = '{"__proto__": {"title": "Polluted"}, "Title": "Abaddon\'s Gate", "Author": "James S. A. Corey", "Narrator": "Jefferson Mays", "series_name": "The Expanse", "series_index": 3, "year": 2013}';
    expect(asRecord((await readSidecars(folder({ "book.json": flat }))).claims)).toEqual({ title: "Abaddon's Gate", author: "James S. A. Corey", narrator: "Jefferson Mays", series: "The Expanse", series_num: "3", year: "2013" });
  });

  it("an info.txt of 'Key: Value' lines (OpenAudible's book info) is read as release notes are", async () => {
    const info = "Title:                  The Black Ice\nAuthor:              Michael Connelly\nNarrated by:      Dick Hill\nDuration:           11:39:35\nRelease date:    17/06/2008\nSeries Name: Harry Bosch\nPosition in Series: 2\n";
    const result = await readSidecars(folder({ "info.txt": info }));
    expect(asRecord(result.claims)).toEqual({ title: "The Black Ice", author: "Michael Connelly", narrator: "Dick Hill", series: "Harry Bosch", series_num: "2", year: "2008" });
  });

  it("'Book: 3' in release notes is the place in the series, 'Book: Dune' the title", async () => {
    const numbered = await readSidecars(folder({ "info.txt": "Title: Leviathan Wakes\nAuthor: James S. A. Corey\nSeries: The Expanse\nBook: 1\n" }));
    expect(asRecord(numbered.claims)).toEqual({ title: "Leviathan Wakes", author: "James S. A. Corey", series: "The Expanse", series_num: "1" });
    const named = await readSidecars(folder({ "release.nfo": "Book: Dune\nAuthor: Frank Herbert\nSeries Name: Dune Chronicles\nPosition in Series: 1\n" }));
    expect(asRecord(named.claims)).toEqual({ title: "Dune", author: "Frank Herbert", series: "Dune Chronicles", series_num: "1" });
  });

  it("a JSON series named alone takes its place from volumeNumber", async () => {
    const json = JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], series: "Dune Chronicles", volumeNumber: "1" });
    expect(asRecord((await readSidecars(folder({ "metadata.json": json }))).claims)).toEqual({ title: "Dune", author: "Frank Herbert", series: "Dune Chronicles", series_num: "1" });
  });

  it("an OPF's roles written as words (opf:role=\"narrator\", \"Author\") name the reader and the writer", async () => {
    const opf = `<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf"><dc:title>Dune</dc:title><dc:creator opf:role="Author">Frank Herbert</dc:creator><dc:creator opf:role="narrator">Scott Brick</dc:creator></metadata></package>`;
    expect(asRecord((await readSidecars(folder({ "metadata.opf": opf }))).claims)).toEqual({ title: "Dune", author: "Frank Herbert", narrator: "Scott Brick" });
  });

  it("an empty folder has nothing to say", async () => {
    expect(await readSidecars(folder({}))).toEqual({ claims: [], description: null, problems: [] });
  });
});

describe("readSidecars: files Audiobookshelf writes", () => {
  // Audiobookshelf's OPF layout (dc:subtitle, opf:role nrt, ns0: prefixes as Python's ElementTree writes them)
  // and the metadata.json it saves beside a book ("abridged" flag, "series" as "Name #N" strings).
  it("OPF with dc:subtitle and prefixed package elements", async () => {
    const opf = `<?xml version='1.0' encoding='utf-8'?>
<ns0:package xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:ns0='http://www.idpf.org/2007/opf' unique-identifier='BookId' version='2.0'>
  <ns0:metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>Oathbringer</dc:title>
    <dc:subtitle>The Stormlight Archive, Book 3</dc:subtitle>
    <dc:creator opf:role="aut">Brandon Sanderson</dc:creator>
    <dc:creator opf:role="nrt">Michael Kramer</dc:creator>
    <dc:creator opf:role="nrt">Kate Reading</dc:creator>
    <dc:date>2017</dc:date>
    <ns0:meta name="calibre:series" content="The Stormlight Archive"/>
    <ns0:meta name="calibre:series_index" content="3"/>
  </ns0:metadata>
</ns0:package>`;
    const result = await readSidecars(folder({ "metadata.opf": opf }));
    expect(asRecord(result.claims)).toEqual({
      // Audible's subtitle repeats the series and its position: that is the series, no subtitle.
      title: "Oathbringer",
      author: "Brandon Sanderson",
      narrator: "Michael Kramer & Kate Reading",
      series: "The Stormlight Archive",
      series_num: "3",
      year: "2017",
    });
  });

  it("metadata.abs of Audiobookshelf 2.x (;ABMETADATA2): lists, series with sequence, description block", async () => {
    const abs = [
      ";ABMETADATA2",
      "#audiobookshelf v2.4.4",
      "",
      "media=book",
      'tags=["Fantasy"]',
      "title=Words of Radiance",
      "subtitle=null",
      "authors=Brandon Sanderson",
      "narrators=Michael Kramer, Kate Reading",
      "series=The Stormlight Archive #2",
      "publishedYear=2014",
      "language=English",
      "abridged=N",
      "",
      "[DESCRIPTION]",
      "Szeth is back.",
      "Kaladin too.",
      "",
      "[CHAPTER]",
      "start=0",
      "end=100",
      "title=Prologue",
    ].join("\n");
    const result = await readSidecars(folder({ "metadata.abs": abs }));
    expect(asRecord(result.claims)).toEqual({
      title: "Words of Radiance",
      author: "Brandon Sanderson",
      narrator: "Michael Kramer & Kate Reading",
      series: "The Stormlight Archive",
      series_num: "2",
      year: "2014",
      language: "English",
    });
    expect(result.description).toBe("Szeth is back.\nKaladin too.");
  });

  it("metadata.abs of Audiobookshelf 1.x (;ABMETADATA1): singular names, volumeNumber, publishYear; metadata.json wins", async () => {
    const abs = ";ABMETADATA1\n#audiobookshelf v1.6.0\n\ntitle=Dune\nauthor=Frank Herbert\nnarrator=Scott Brick\nseries=Dune Chronicles\nvolumeNumber=1\npublishYear=1965\n";
    expect(asRecord((await readSidecars(folder({ "metadata.abs": abs }))).claims)).toEqual({
      title: "Dune",
      author: "Frank Herbert",
      narrator: "Scott Brick",
      series: "Dune Chronicles",
      series_num: "1",
      year: "1965",
    });
    const both = await readSidecars(folder({ "metadata.abs": abs, "metadata.json": JSON.stringify({ title: "Dune Messiah" }) }));
    expect(asRecord(both.claims).title).toBe("Dune Messiah");
    const broken = await readSidecars(folder({ "metadata.abs": "title=No header\n" }));
    expect(broken.claims).toEqual([]);
    expect(broken.problems.join("\n")).toMatch(/metadata\.abs: not an Audiobookshelf metadata file/);
  });

  it("metadata.abs author lists written the Chinese and Japanese way are lists", async () => {
    const abs = ";ABMETADATA2\ntitle=兄弟\nauthors=鲁迅、周作人\nnarrators=村上春樹・柴田元幸\n";
    const claims = asRecord((await readSidecars(folder({ "metadata.abs": abs }))).claims);
    expect(claims.author).toBe("鲁迅 & 周作人");
    // One foreign name written out in katakana is one person.
    const one = asRecord((await readSidecars(folder({ "metadata.abs": ";ABMETADATA2\ntitle=A\nauthors=アガサ・クリスティー\n" }))).claims);
    expect(one.author).toBe("アガサ・クリスティー");
  });

  it('metadata.json "abridged": true is the edition; false says nothing', async () => {
    const abridged = await readSidecars(folder({ "metadata.json": JSON.stringify({ title: "Dune", abridged: true, explicit: false }) }));
    expect(asRecord(abridged.claims)).toEqual({ title: "Dune", edition: "Abridged" });
    const full = await readSidecars(folder({ "metadata.json": JSON.stringify({ title: "Dune", abridged: false }) }));
    expect(asRecord(full.claims)).toEqual({ title: "Dune" });
  });
});

describe("readSidecars: several sidecars", () => {
  it("one claim per field: metadata.json > OPF > reader.txt; desc.txt is the description", async () => {
    const json = JSON.stringify({ title: "From JSON", authors: ["JSON Author"], description: "json description" });
    const result = await readSidecars(
      folder({ "metadata.json": json, "metadata.opf": CALIBRE_OPF, "reader.txt": "Reader Person", "desc.txt": "desc.txt wins" }),
    );
    expect(asRecord(result.claims)).toEqual({
      title: "From JSON",
      author: "JSON Author",
      narrator: "Martin Jarvis",
      series: "Standalone & Friends",
      series_num: "1",
      year: "1990",
      language: "en",
    });
    expect(result.description).toBe("desc.txt wins");
  });

  it("metadata.json description when there is no desc.txt", async () => {
    const result = await readSidecars(folder({ "metadata.json": ABS_JSON, "metadata.opf": CALIBRE_OPF }));
    expect(result.description).toBe("For a thousand years the ash fell.");
  });

  it("matches sidecar names case-insensitively and prefers metadata.opf among OPFs", async () => {
    const other = CALIBRE_OPF.replace("Good Omens", "Wrong Book");
    const result = await readSidecars(folder({ "Metadata.JSON": JSON.stringify({ language: "de" }), "a-first.opf": other, "metadata.opf": CALIBRE_OPF, "READER.TXT": "X Y" }));
    const record = asRecord(result.claims);
    expect(record.language).toBe("de");
    expect(record.title).toMatch(/^Good Omens/);
  });
});

describe("readSidecars: malformed and hostile sidecars", () => {
  it.each([
    ["metadata.json", "{ title: 'not json' ", /^metadata\.json: invalid JSON/],
    ["metadata.json", "[1, 2, 3]", /^metadata\.json: expected a JSON object/],
    ["metadata.json", "", /^metadata\.json: invalid JSON/],
    ["metadata.opf", "<package><metadata><dc:title>Dune</dc:creator></metadata></package>", /^metadata\.opf: end tag <\/dc:creator> does not match <dc:title> \(line 1\)/],
    ["metadata.opf", "<package>\n<metadata>\n<dc:title>Dune</dc:title>\n", /^metadata\.opf: <metadata> is never closed \(line 4\)/],
    ["metadata.opf", "just some text", /^metadata\.opf: no root element/],
    ["metadata.opf", "<package><spine/></package>", /^metadata\.opf: no <metadata> element/],
    ["book.opf", "<package><metadata><dc:title a=>x</dc:title></metadata></package>", /^book\.opf: malformed start tag <dc:title>/],
    ["book.opf", "<package><metadata>a < b</metadata></package>", /^book\.opf: invalid tag name/],
  ])("%s %j gives a problem, not a throw", async (name, content, problem) => {
    const result = await readSidecars(folder({ [name]: content, "reader.txt": "Still Read" }));
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(problem);
    // The other sidecars still count.
    expect(asRecord(result.claims)).toEqual({ narrator: "Still Read" });
  });

  it("fields of the wrong shape are ignored with a problem, the rest is used", async () => {
    const json = JSON.stringify({ title: "Dune", subtitle: { text: "x" }, authors: 42, series: [{ sequence: 3 }], language: ["en"] });
    const result = await readSidecars(folder({ "metadata.json": json }));
    // A list of one text is that text (some tools write every field as a list); an object is no text.
    expect(asRecord(result.claims)).toEqual({ title: "Dune", language: "en" });
    expect(result.problems).toEqual([
      'metadata.json: ignored "subtitle" (unexpected shape)',
      'metadata.json: ignored "authors" (unexpected shape)',
      'metadata.json: ignored "series" (unexpected shape)',
    ]);
  });

  it("skips a sidecar over the size cap", async () => {
    const huge = JSON.stringify({ title: "Huge", pad: "x".repeat(MAX_SIDECAR_BYTES) });
    const result = await readSidecars(folder({ "metadata.json": huge }));
    expect(result.claims).toEqual([]);
    expect(result.problems).toEqual([expect.stringMatching(/^metadata\.json: \d+ bytes is over the 1048576-byte limit, skipped$/)]);
  });

  it("skips a sidecar name that is a directory", async () => {
    const root = folder({});
    fs.mkdirSync(path.join(root, "metadata.json"));
    const result = await readSidecars(root);
    expect(result).toEqual({ claims: [], description: null, problems: ["metadata.json: not a regular file, skipped"] });
  });

  it("a missing folder is a problem, not a throw", async () => {
    const result = await readSidecars(path.join(dir, "does-not-exist"));
    expect(result.claims).toEqual([]);
    expect(result.problems).toEqual([expect.stringMatching(/does-not-exist: ENOENT$/)]);
  });

  it("does not expand DOCTYPE entities (no XXE, no entity bombs)", async () => {
    const opf = `<?xml version="1.0"?>
<!DOCTYPE package [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY lol "lol"> ]>
<package><metadata><dc:title>A &xxe; B &lol;</dc:title></metadata></package>`;
    const result = await readSidecars(folder({ "metadata.opf": opf }));
    expect(asRecord(result.claims)).toEqual({ title: "A &xxe; B &lol;" });
  });

  it("control characters are cleaned and over-long values refused", async () => {
    const json = JSON.stringify({ title: `Bad\u0000\u001b[31mTitle ${"y".repeat(2000)}`, subtitle: `Bad\u0000\u001b[31mSubtitle`, narrators: ["  A  ", "a", "B\u200b"] });
    const result = await readSidecars(folder({ "metadata.json": json }));
    const record = asRecord(result.claims);
    // The colour sequence goes whole: dropping only its ESC left "[31m" in the title.
    expect(record.subtitle).toBe("Bad Subtitle");
    // 2,000 characters are no title: refused, not cut to their first 300 (which were claimed as one).
    expect(record.title).toBeUndefined();
    expect(record.narrator).toBe("A & B");
  });
});

describe("readSidecars: text an earlier tool decoded wrongly", () => {
  it.each<[string, Record<string, string | Buffer>, Record<string, string>]>([
    // UTF-8 read as Windows-1252 and saved again as UTF-8: the common mojibake of rippers and old taggers.
    ["OPF", { "metadata.opf": `<package><metadata><dc:title>Enderâ€™s Game</dc:title><dc:creator>Ã‰mile Zola</dc:creator></metadata></package>` }, { title: "Ender’s Game", author: "Émile Zola" }],
    // The Windows-1252 byte 0x81 it leaves undefined stays a C1 character; it must be mapped back, not dropped as a control.
    ["metadata.json", { "metadata.json": JSON.stringify({ title: Buffer.from("Мастер и Маргарита").toString("latin1").replace(/[\x80-\x9f]/g, (c) => "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ"[c.charCodeAt(0) - 0x80]), authors: ["Mikhail Bulgakov"] }) }, { title: "Мастер и Маргарита", author: "Mikhail Bulgakov" }],
    ["reader.txt", { "reader.txt": "JosÃ© PÃ©rez\n" }, { narrator: "José Pérez" }],
    // Negative rows: real Windows-1252 punctuation and accents are text, not mojibake.
    ["OPF", { "metadata.opf": `<package><metadata><dc:title>Ender’s Game – naïve «Titre»</dc:title><dc:creator>SÃO PAULO</dc:creator></metadata></package>` }, { title: "Ender’s Game – naïve «Titre»", author: "SÃO PAULO" }],
  ])("%s: %j", async (_kind, files, want) => {
    expect(asRecord((await readSidecars(folder(files))).claims)).toEqual(want);
  });
});

describe("xml-lite", () => {
  it.each([
    ["&amp;&lt;&gt;&quot;&apos;", `&<>"'`],
    ["&#65;&#x42;&#X43;", "ABC"],
    ["&#0;&#xD800;&#x110000;", "&#0;&#xD800;&#x110000;"],
    ["&unknown; & alone", "&unknown; & alone"],
    ["no entities", "no entities"],
  ])("decodeEntities(%j) = %j", (input, want) => {
    expect(decodeEntities(input)).toBe(want);
  });

  it("builds a tree with attributes and text", () => {
    const root = parseXml(`<a x="1" y='&amp;'><b>one</b><!-- c --><b/>two<?pi x?></a>`);
    const a = root.children.find((c) => typeof c !== "string");
    expect(a).toMatchObject({ name: "a", attrs: { x: "1", y: "&" } });
    expect(textOf(a as never)).toBe("onetwo");
  });

  it("refuses absurd nesting instead of overflowing", () => {
    expect(() => parseXml("<a>".repeat(10_000) + "</a>".repeat(10_000))).toThrow(/nested too deeply/);
  });
});

/** An OPF package with the given lines inside <metadata>. */
function opf(metadata: string): string {
  return `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf" version="2.0"><metadata><dc:title>Dune</dc:title>${metadata}</metadata></package>`;
}

describe("narrators in sidecars: every listed form, and what is not a narrator", () => {
  // [name, file name, content, narrator claim (null: none), author claim]
  it.each<[string, string, string, string | null, string | null]>([
    ["OPF 2 dc:creator opf:role=nrt", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:creator opf:role="nrt">Simon Vance</dc:creator>`), "Simon Vance", "Frank Herbert"],
    ["OPF 2 dc:contributor opf:role=nrt", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:contributor opf:role="nrt">Simon Vance</dc:contributor>`), "Simon Vance", "Frank Herbert"],
    ["OPF 3 contributor refined to nrt", "metadata.opf", opf(`<dc:creator id="a">Frank Herbert</dc:creator><dc:contributor id="n">Scott Brick</dc:contributor><meta refines="#n" property="role" scheme="marc:relators">nrt</meta>`), "Scott Brick", "Frank Herbert"],
    ["two nrt contributors", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:contributor opf:role="nrt">Scott Brick</dc:contributor><dc:contributor opf:role="nrt">Orlagh Cassidy</dc:contributor>`), "Scott Brick & Orlagh Cassidy", "Frank Herbert"],
    ["negative: Calibre's book producer is nobody's narrator", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:contributor opf:role="bkp">calibre (5.0)</dc:contributor>`), null, "Frank Herbert"],
    ["negative: a contributor without a role", "metadata.opf", opf(`<dc:creator>Frank Herbert</dc:creator><dc:contributor>Simon Vance</dc:contributor>`), null, "Frank Herbert"],
    ["negative: an editor (edt)", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:contributor opf:role="edt">Brian Herbert</dc:contributor>`), null, "Frank Herbert"],
    ["Audiobookshelf narrators[]", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: ["Simon Vance", "Scott Brick"] }), "Simon Vance & Scott Brick", "Frank Herbert"],
    ["Audiobookshelf narrator string (older exports)", "metadata.json", JSON.stringify({ title: "Dune", author: "Frank Herbert", narrator: "Simon Vance" }), "Simon Vance", "Frank Herbert"],
    ["negative: Audiobookshelf empty narrators", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: [] }), null, "Frank Herbert"],
    ["negative: Audiobookshelf narrators null", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: null }), null, "Frank Herbert"],
    // Reader phrases folder names know (domain/reader-phrase.ts), and lists of readers split as authors are.
    ["OPF nrt 'Gelesen von Rufus Beck'", "metadata.opf", opf(`<dc:creator opf:role="aut">Cornelia Funke</dc:creator><dc:contributor opf:role="nrt">Gelesen von Rufus Beck</dc:contributor>`), "Rufus Beck", "Cornelia Funke"],
    ["OPF nrt 'Lu par Bernard Giraudeau'", "metadata.opf", opf(`<dc:creator opf:role="aut">Antoine de Saint-Exupéry</dc:creator><dc:contributor opf:role="nrt">Lu par Bernard Giraudeau</dc:contributor>`), "Bernard Giraudeau", "Antoine de Saint-Exupéry"],
    ["OPF nrt 'gelesen vom Autor' names the writer", "metadata.opf", opf(`<dc:creator opf:role="aut">Robert Seethaler</dc:creator><dc:contributor opf:role="nrt">gelesen vom Autor</dc:contributor>`), "Robert Seethaler", "Robert Seethaler"],
    ["OPF nrt 'Ray Porter; Kate Reading' is two readers", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:contributor opf:role="nrt">Ray Porter; Kate Reading</dc:contributor>`), "Ray Porter & Kate Reading", "Frank Herbert"],
    ["negative: OPF nrt 'Lu Parker' is a person", "metadata.opf", opf(`<dc:creator opf:role="aut">Frank Herbert</dc:creator><dc:contributor opf:role="nrt">Lu Parker</dc:contributor>`), "Lu Parker", "Frank Herbert"],
    ["negative: 'lu par l'auteur' with no writer known gives no narrator", "metadata.opf", opf(`<dc:contributor opf:role="nrt">lu par l'auteur</dc:contributor>`), null, null],
    ["Audiobookshelf narrators ['Narrated by Ray Porter', 'Read by: Kate Reading']", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: ["Narrated by Ray Porter", "Read by: Kate Reading"] }), "Ray Porter & Kate Reading", "Frank Herbert"],
    ["Audiobookshelf narrators ['Sprecher: David Nathan']", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: ["Sprecher: David Nathan"] }), "David Nathan", "Frank Herbert"],
    ["Audiobookshelf narrators ['leído por el autor'] names the writer", "metadata.json", JSON.stringify({ title: "Patria", authors: ["Fernando Aramburu"], narrators: ["leído por el autor"] }), "Fernando Aramburu", "Fernando Aramburu"],
    ["Audiobookshelf narrators ['Ray Porter & Kate Reading'] is two readers", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: ["Ray Porter & Kate Reading"] }), "Ray Porter & Kate Reading", "Frank Herbert"],
    ["negative: Audiobookshelf narrators ['Reading Rainbow']", "metadata.json", JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], narrators: ["Reading Rainbow"] }), "Reading Rainbow", "Frank Herbert"],
    ["Audiobookshelf text narrators=Lu par Bernard Giraudeau", "metadata.abs", ";ABMETADATA2\ntitle=Le Petit Prince\nauthors=Antoine de Saint-Exupéry\nnarrators=Lu par Bernard Giraudeau\n", "Bernard Giraudeau", "Antoine de Saint-Exupéry"],
  ])("%s", async (_name, file, content, narrator, author) => {
    const result = await readSidecars(folder({ [file]: content }));
    const claims = Object.fromEntries(result.claims.map((c) => [c.field, c.value]));
    expect(claims.narrator ?? null).toBe(narrator);
    expect(claims.author ?? null).toBe(author);
  });
});
