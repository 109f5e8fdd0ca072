/**
 * path-30: a work's volume then its part in one name, writers' names as libraries write them, and names holding
 * markup, templates or code. Rows cite the convention they stand for; each table holds negative rows that only look
 * like the rule.
 */
import { describe, expect, it } from "vitest";
import { readPath } from "../../src/domain/path-analysis.js";
import { checkClaim } from "../../src/domain/garbage.js";
import { emptyProfile, mergeSource, resolveProfile } from "../../src/domain/profile.js";
import { check, type Row } from "./path-rows.js";

describe("a work's volume, then a part of that volume, in one name", () => {
  it.each<Row>([
    ["Война и мир. Том 1. Часть 1", { title: "Война и мир (Часть 1)", series: "Война и мир", series_num: "1" }],
    ["Лев Толстой/Война и мир. Том 1. Часть 1", { author: "Лев Толстой", title: "Война и мир (Часть 1)", series: "Война и мир", series_num: "1" }],
    ["Лев Толстой - Война и мир. Том 2. Часть 3", { author: "Лев Толстой", title: "Война и мир (Часть 3)", series: "Война и мир", series_num: "2" }],
    ["Лев Толстой/Война и мир. Том 1. Часть 1/01.mp3", { author: "Лев Толстой", title: "Война и мир (Часть 1)", series: "Война и мир", series_num: "1" }],
    ["Війна і мир. Том 1. Частина 1", { title: "Війна і мир (Частина 1)", series: "Війна і мир", series_num: "1" }],
    ["Ogniem i mieczem. Tom 1. Część 1", { title: "Ogniem i mieczem (Część 1)", series: "Ogniem i mieczem", series_num: "1" }],
    ["Der Mann ohne Eigenschaften. Band 1. Teil 2", { title: "Der Mann ohne Eigenschaften (Teil 2)", series: "Der Mann ohne Eigenschaften", series_num: "1" }],
    ["Les Misérables. Tome 1. Partie 1", { title: "Les Misérables (Partie 1)", series: "Les Misérables", series_num: "1" }],
    ["Don Quijote. Tomo 1. Parte 1", { title: "Don Quijote (Parte 1)", series: "Don Quijote", series_num: "1" }],
    ["I promessi sposi. Volume 1. Parte 1", { title: "I promessi sposi (Parte 1)", series: "I promessi sposi", series_num: "1" }],
    ["War and Peace, Vol. 1, Part 2", { title: "War and Peace (Part 2)", series: "War and Peace", series_num: "1" }],
    ["Война и мир - Том 1 - Часть 1", { title: "Война и мир (Часть 1)", series: "Война и мир", series_num: "1" }],
    ["Война и мир, том 1, часть 1", { title: "Война и мир (часть 1)", series: "Война и мир", series_num: "1" }],
    ["Война и мир (Том 1, Часть 1)", { title: "Война и мир (Часть 1)", series: "Война и мир", series_num: "1" }],
    // Negative rows: a volume alone is the series' place, a part alone stays in the title, a Polish part alone too.
    ["Война и мир. Том 1", { title: "Война и мир", series: "Война и мир", series_num: "1" }],
    ["Война и мир. Часть 1", { title: "Война и мир (Часть 1)", series: undefined }],
    ["Ogniem i mieczem. Część 2", { title: "Ogniem i mieczem (Część 2)", series: undefined }],
    ["Лев Толстой/Война и мир/Том 1/Часть 1", { author: "Лев Толстой", series: "Война и мир", series_num: "1" }],
    // Full stops setting off a series, its book and the title (Russian and Polish trackers' form).
    ["Лукьяненко Сергей - Дозоры. Книга 1. Ночной дозор", { author: "Сергей Лукьяненко", title: "Ночной дозор", series: "Дозоры", series_num: "1" }],
    ["Wiedźmin. Tom 1. Ostatnie życzenie", { title: "Ostatnie życzenie", series: "Wiedźmin", series_num: "1" }],
    ["Mistborn. Vol. 2. The Well of Ascension", { title: "The Well of Ascension", series: "Mistborn", series_num: "2" }],
    // A series and its place joined by a hyphen in the closing brackets.
    ["Сергей Лукьяненко - Ночной дозор (Дозоры-1)", { author: "Сергей Лукьяненко", title: "Ночной дозор", series: "Дозоры", series_num: "1" }],
    ["Борис Акунин - Азазель (Фандорин-1) [Александр Клюквин]", { author: "Борис Акунин", title: "Азазель", series: "Фандорин", series_num: "1", narrator: "Александр Клюквин" }],
    ["Акунин Борис - Приключения Эраста Фандорина 01. Азазель", { author: "Борис Акунин", title: "Азазель", series: "Приключения Эраста Фандорина", series_num: "1" }],
    ["Apollo 13. The Movie", { series: undefined }],
    ["Joseph Heller - Something (Apollo-13)", { title: "Something (Apollo-13)", series: undefined }],
    ["Catch-22", { title: "Catch-22", series: undefined }],
    ["1Q84 上", { title: "1Q84", series: "1Q84", series_num: "1" }],
    ["三体 第一卷", { title: "三体", series: "三体", series_num: "1" }],
  ])("%s", check);
});

describe("markup, templates and code in a name are kept as written", () => {
  it.each<Row>([
    ["<script>alert(1)</script>", { author: undefined, title: "<script>alert(1)</script>", series: undefined }],
    ["Author Name/<script>alert(1)</script>", { author: "Author Name", title: "<script>alert(1)</script>", series: undefined }],
    ["<script>alert(1)</script>.mp3", { title: "<script>alert(1)</script>" }],
    ["\"><img src=x onerror=alert(1)>", { title: "\"><img src=x onerror=alert(1)>", series: undefined, series_num: undefined }],
    ["<svg onload=alert(1)>", { title: "<svg onload=alert(1)>", series_num: undefined }],
    ["Stephen King - <svg onload=alert(1)>", { author: "Stephen King", title: "<svg onload=alert(1)>", series: undefined }],
    ["Stephen King - <i>It</i>", { author: "Stephen King", title: "<i>It</i>" }],
    ["Author - <b>Bold</b> Title", { author: "Author", title: "<b>Bold</b> Title" }],
    ["{{7*7}}", { title: "{{7*7}}" }],
    ["Stephen King/${jndi:ldap:x}", { author: "Stephen King", title: "${jndi:ldap:x}" }],
    ["'; DROP TABLE books;--", { title: "'; DROP TABLE books;--" }],
    ["{Title}", { title: "{Title}", narrator: undefined }],
    ["<<>>", { title: "<<>>" }],
    [">", { title: ">" }],
    ["&", { title: "&" }],
    // Negative rows: what only looks like markup, and the reader in Audiobookshelf's braces.
    ["Title <Subtitle>", { title: "Title <Subtitle>" }],
    ["I <3 NY", { title: "I <3 NY" }],
    ["Tom & Jerry", { title: "Tom & Jerry" }],
    ["Tom &amp; Jerry", { title: "Tom &amp; Jerry" }],
    ["100% Cotton", { title: "100% Cotton" }],
    ["%2e%2e%2f", { title: "%2e%2e%2f" }],
    ["C:\\Windows", { title: "C:\\Windows" }],
    ["A \"Quoted\" Title", { title: "A \"Quoted\" Title" }],
    ["Brandon Sanderson/Mistborn/Vol. 1 - 2006 - The Final Empire {Michael Kramer}", { author: "Brandon Sanderson", title: "The Final Empire", narrator: "Michael Kramer", series_num: "1" }],
  ])("%s", check);
});

describe("writers' names as catalogues and libraries write them", () => {
  it.each<Row>([
    ["Martin George R. R. - A Game of Thrones", { author: "George R. R. Martin", title: "A Game of Thrones" }],
    ["Martin George R. R./A Game of Thrones", { author: "George R. R. Martin", title: "A Game of Thrones" }],
    ["Martin George R.R. - A Game of Thrones", { author: "George R.R. Martin", title: "A Game of Thrones" }],
    ["Dick Philip K. - Ubik", { author: "Philip K. Dick", title: "Ubik" }],
    ["Le Guin Ursula K. - A Wizard of Earthsea", { author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" }],
    ["Толстой Лев Николаевич - Война и мир", { author: "Лев Николаевич Толстой", title: "Война и мир" }],
    ["Достоевский Фёдор Михайлович/Идиот", { author: "Фёдор Михайлович Достоевский", title: "Идиот" }],
    ["Sanderson, Brandon/Mistborn", { author: "Brandon Sanderson", title: "Mistborn" }],
    ["SANDERSON Brandon - Mistborn", { author: "Brandon Sanderson", title: "Mistborn" }],
    ["Tolstoï, Léon - Guerre et paix", { author: "Léon Tolstoï", title: "Guerre et paix" }],
    ["Лев Толстой - Война и мир", { author: "Лев Толстой", title: "Война и мир" }],
    ["Толстой Л.Н. - Война и мир", { author: "Л.Н. Толстой", title: "Война и мир" }],
    ["村上春樹 - ノルウェイの森", { author: "村上春樹", title: "ノルウェイの森" }],
    ["J.R.R. Tolkien - The Hobbit", { author: "J.R.R. Tolkien", title: "The Hobbit" }],
    ["JRR Tolkien - The Hobbit", { author: "JRR Tolkien", title: "The Hobbit" }],
    ["Le Guin, Ursula K./A Wizard of Earthsea", { author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" }],
    ["Дж. К. Роулинг - Гарри Поттер и философский камень", { author: "Дж. К. Роулинг", title: "Гарри Поттер и философский камень" }],
    ["Роулинг Дж.К. - Гарри Поттер и философский камень", { author: "Дж.К. Роулинг", title: "Гарри Поттер и философский камень" }],
    ["Толкин Дж. Р. Р. - Хоббит", { author: "Дж. Р. Р. Толкин", title: "Хоббит" }],
    ["Lew Tolstoi - Krieg und Frieden - Band 1", { author: "Lew Tolstoi", title: "Krieg und Frieden", series: "Krieg und Frieden", series_num: "1" }],
    ["Anthology - Best of Sci-Fi 2019", { author: undefined, title: "Best of Sci-Fi 2019" }],
    // Negative rows: a given name first stays first; no closing initial, no catalogue order.
    ["George R. R. Martin - A Game of Thrones", { author: "George R. R. Martin", title: "A Game of Thrones" }],
    ["Philip K. Dick - Ubik", { author: "Philip K. Dick", title: "Ubik" }],
    ["Лев Николаевич Толстой - Война и мир", { author: "Лев Николаевич Толстой", title: "Война и мир" }],
  ])("%s", check);
});

describe("one word before a life's subtitle is the life's subject, not its writer", () => {
  it.each<Row>([
    ["Einstein - His Life and Universe", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    ["Walter Isaacson/Einstein - His Life and Universe", { author: "Walter Isaacson", title: "Einstein", subtitle: "His Life and Universe" }],
    ["Walter Isaacson - Einstein - His Life and Universe", { author: "Walter Isaacson", title: "Einstein", subtitle: "His Life and Universe", series: undefined }],
    ["Einstein - His Life and Universe.mp3", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    ["Napoleon - A Life", { author: undefined, title: "Napoleon", subtitle: "A Life" }],
    ["Tolkien - A Biography", { author: undefined, title: "Tolkien", subtitle: "A Biography" }],
    ["Mozart - Sein Leben", { author: undefined, title: "Mozart", subtitle: "Sein Leben" }],
    // Negative rows: a surname before another title is its writer; a life's word with no article opening it is a title.
    ["Tolkien - The Hobbit", { author: "Tolkien", title: "The Hobbit" }],
    ["King - The Dark Tower", { author: "King", title: "The Dark Tower" }],
    ["Martel - Life of Pi", { author: "Martel", title: "Life of Pi" }],
    ["Гроссман - Жизнь и судьба", { author: "Гроссман", title: "Жизнь и судьба" }],
  ])("%s", check);

  // The library's evidence: the same word before other titles beside it writes books.
  it.each<[string, { siblings?: string[]; topFolders?: string[] }, string | undefined]>([
    ["Einstein - His Life and Universe", { topFolders: ["einstein - his life and universe", "einstein - relativity"] }, "Einstein"],
    ["Physics/Einstein - His Life and Universe", { siblings: ["Einstein - His Life and Universe", "Einstein - The Meaning of Relativity"] }, "Einstein"],
    ["Einstein - His Life and Universe", { topFolders: ["einstein"] }, "Einstein"],
    // Negative rows: other lives of the same subject beside it, or other writers' books, leave it a subject.
    ["Einstein - His Life and Universe", { topFolders: ["einstein - his life and universe", "einstein - a biography", "stephen king - it"] }, undefined],
    ["Physics/Einstein - His Life and Universe", { siblings: ["Einstein - His Life and Universe", "Feynman - The Meaning of It All"] }, undefined],
  ])("%s beside %j: author %s", (name, { siblings, topFolders }, author) => {
    expect(readPath(name, { siblings, topFolders: topFolders === undefined ? undefined : new Set(topFolders) }).hints.author).toBe(author);
  });
});

describe("the judge keeps what the path read", () => {
  it.each([
    ["path", "<script>alert(1)</script>", "<script>alert(1)</script>"],
    ["path", "\"><img src=x onerror=alert(1)>", "\"><img src=x onerror=alert(1)>"],
    // Negative rows: a tag's or a sidecar's markup is text no reader decoded (test/reliability/hostile-values.test.ts).
    ["sidecar", "<script>alert(1)</script>", null],
    ["embedded_tags", "<b>Dune</b>", null],
  ])("%s's title %j resolves to %j", (source, title, expected) => {
    const profile = mergeSource(emptyProfile(), source, 50, [{ field: "title", value: title }]);
    expect(resolveProfile(profile).fields.title.value).toBe(expected);
  });

  it.each([
    ["Война и мир (Часть 1)", "Война и мир (Часть 1)"],
    ["Ogniem i mieczem (Część 2)", "Ogniem i mieczem (Część 2)"],
    ["Der Mann ohne Eigenschaften (Teil 1)", "Der Mann ohne Eigenschaften (Teil 1)"],
    // Negative rows: a disc of the book, a series and its place closing a title.
    ["Противостояние (Диск 2)", "Противостояние"],
    ["Tintenherz (Tintenwelt 1)", "Tintenherz"],
  ])("a title %j is kept as %j", (title, expected) => {
    expect(checkClaim("title", title).value).toBe(expected);
  });
});

describe("a reader named in the languages libraries are kept in", () => {
  it.each<Row>([
    ["Стивен Кинг - Оно - чит. Игорь Князев", { author: "Стивен Кинг", title: "Оно", series: undefined, narrator: "Игорь Князев" }],
    ["Стивен Кинг - Оно (Читает: Игорь Князев)", { author: "Стивен Кинг", title: "Оно", subtitle: undefined, narrator: "Игорь Князев" }],
    ["Стивен Кинг - Оно, читает Игорь Князев", { author: "Стивен Кинг", title: "Оно", narrator: "Игорь Князев" }],
    ["Стивен Кинг - Оно (читал Игорь Князев)", { title: "Оно", narrator: "Игорь Князев" }],
    ["Стивен Кинг - Оно (чтец Игорь Князев)", { title: "Оно", narrator: "Игорь Князев" }],
    ["Ліна Костенко - Маруся Чурай (читає Ада Роговцева)", { title: "Маруся Чурай", narrator: "Ада Роговцева" }],
    ["Stieg Larsson - Män som hatar kvinnor (Uppläst av Reine Brynolfsson)", { title: "Män som hatar kvinnor", narrator: "Reine Brynolfsson" }],
    ["Sebastian Fitzek - Der Augenjäger, gelesen von Simon Jäger", { author: "Sebastian Fitzek", title: "Der Augenjäger", narrator: "Simon Jäger" }],
    ["Michelle Obama - Becoming, read by the author", { author: "Michelle Obama", title: "Becoming", narrator: "Michelle Obama" }],
    // Negative rows: a comma in a title with no reader after it; a reader's word inside a title.
    ["Stephen King - Hearts in Atlantis, Low Men in Yellow Coats", { title: "Hearts in Atlantis, Low Men in Yellow Coats", narrator: undefined }],
    ["Гроссман - Жизнь и судьба", { title: "Жизнь и судьба", narrator: undefined }],
  ])("%s", check);
});

describe("a title the library repeats is no writer", () => {
  // Copies of one book (two releases of "Good Omens") repeat its title, not a writer's name.
  it.each<[string, string[], string]>([
    ["Terry Pratchett and Neil Gaiman - Good Omens", ["neil gaiman - good omens (full cast)", "neil gaiman - good omens [full cast]", "terry pratchett and neil gaiman - good omens"], "Terry Pratchett & Neil Gaiman"],
    ["Project Hail Mary (2021) - Andy Weir", ["andy weir - project hail mary", "project hail mary (2021) - andy weir", "project hail mary - andy weir (2021)"], "Andy Weir"],
    // Negative row: a writer's name repeated beside different subjects is the writer (path-11).
    ["Steve Jobs - Walter Isaacson", ["steve jobs - walter isaacson", "einstein - walter isaacson", "benjamin franklin - walter isaacson"], "Walter Isaacson"],
  ])("%s beside %j: author %s", (name, topFolders, author) => {
    expect(readPath(name, { topFolders: new Set(topFolders) }).hints.author).toBe(author);
  });
});

describe("a bit rate's channels go with it", () => {
  it.each<Row>([
    ["Brandon Sanderson - The Final Empire (read by Michael Kramer) 2006 64kbps mono", { title: "The Final Empire", year: "2006", narrator: "Michael Kramer" }],
    ["Andy Weir - The Martian 128k Stereo", { author: "Andy Weir", title: "The Martian" }],
    // Negative row: "Mono" alone is a title's word.
    ["Mono", { title: "Mono" }],
  ])("%s", check);
});
