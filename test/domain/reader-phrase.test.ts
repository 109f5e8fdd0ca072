import { describe, expect, it } from "vitest";
import { isWriter, mayNameReader, narratorIn, readerIn, WRITER_READS } from "../../src/domain/reader-phrase.js";

describe("narratorIn: one list of reader phrases for folder names, tags and sidecars", () => {
  it.each<[string, string]>([
    ["Narrated by Ray Porter", "Ray Porter"],
    ["Read by: Kate Reading", "Kate Reading"],
    ["Gelesen von Rufus Beck", "Rufus Beck"],
    ["Sprecher: David Nathan", "David Nathan"],
    ["Lu par Bernard Giraudeau", "Bernard Giraudeau"],
    ["Narrado por José Ferrer", "José Ferrer"],
    ["Letto da Claudio Santamaria", "Claudio Santamaria"],
    ["Voorgelezen door Jeroen Krabbé", "Jeroen Krabbé"],
    ["gelesen vom Autor", WRITER_READS],
    ["lu par l'auteur", WRITER_READS],
    ["leído por el autor", WRITER_READS],
    ["Read by the author", WRITER_READS],
    ["the Author herself", WRITER_READS],
    // Polish, Czech, Portuguese and Russian, as their trackers and shops write the reader.
    ["czyta Krzysztof Gosztyła", "Krzysztof Gosztyła"],
    ["Lektor: Krzysztof Gosztyła", "Krzysztof Gosztyła"],
    ["čte Jiří Lábus", "Jiří Lábus"],
    ["Lido por Paulo Autran", "Paulo Autran"],
    ["читает Кирилл Радциг", "Кирилл Радциг"],
    ["Чтец: Александр Клюквин", "Александр Клюквин"],
    ["Исполнитель: Александр Клюквин", "Александр Клюквин"],
    // "narr. by", "Narrator" before a full name, "Reader:", as shops and rippers abbreviate them.
    ["narr. by R.C. Bray", "R.C. Bray"],
    ["Narrator R.C. Bray", "R.C. Bray"],
    ["Reader: Kate Reading", "Kate Reading"],
    // The cast left unnamed is no reader.
    ["Scott Brick, Simon Vance, et al.", "Scott Brick, Simon Vance"],
    ["Narrated by Rufus Beck u. a.", "Rufus Beck"],
    // Negatives: names that only look like a phrase; "Narrator" before one word is a placeholder, no phrase.
    ["Narrator Name", "Narrator Name"],
    ["Lu Parker", "Lu Parker"],
    ["Reading Rainbow", "Reading Rainbow"],
    ["Authority Jones", "Authority Jones"],
    ["Pardo Porras", "Pardo Porras"],
    ["Da Costa", "Da Costa"],
    ["Czytaj Dalej", "Czytaj Dalej"],
  ])("%s", (value, expected) => {
    expect(narratorIn(value)).toBe(expected);
  });

  it("a title after a phrase word is no reader: the name must open with a capital", () => {
    expect(readerIn("Lu par hasard")).toBeNull();
    expect(isWriter("Autorität")).toBe(false);
  });

  it.each(["Narrated by Ray Porter", "Voiced by Ray Porter", "Performed by Ray Porter", "Raconté par Gérard Philipe", "Narré par Jean Dujardin", "Leído por José Ferrer", "Narrato da Claudio Santamaria", "Ingelezen door Jeroen Krabbé", "Läst av Stellan Skarsgård", "Uppläsare: Stellan Skarsgård", "Sprecherin: Anna Thalbach", "朗読：小林薫", "낭독: 김영하", "czyta Krzysztof Gosztyła", "čte Jiří Lábus", "читает Кирилл Радциг"])(
    "the one hint list (which book-segment.ts tests names with) lets %s through",
    (phrase) => {
      expect(readerIn(phrase)).not.toBeNull();
      expect(mayNameReader(phrase)).toBe(true);
    },
  );
});
