/**
 * Misreadings left by the last round (issues #2, #3, #13), one table per class, with the negative rows that keep the
 * reading of the same shape where nothing known says otherwise: a pen name's folder under the writer's, a known
 * audiobook reader in brackets after a title with no writer, brackets after a part closing the name, and the
 * episode and volume markers of Chinese and Japanese names.
 */
import { describe, expect, it } from "vitest";
import { check, type Row } from "./path-rows.js";

describe("Writer/Pen Name/Title: a known pen name of the writer is the book's writer as published", () => {
  it.each<Row>([
    ["Stephen King/Richard Bachman/The Long Walk", { author: "Richard Bachman", title: "The Long Walk", narrator: undefined, series: undefined, doubtful: [] }],
    ["J.K. Rowling/Robert Galbraith/The Cuckoo's Calling", { author: "Robert Galbraith", title: "The Cuckoo's Calling", narrator: undefined, series: undefined }],
    ["Nora Roberts/J.D. Robb/Naked in Death", { author: "J.D. Robb", title: "Naked in Death", narrator: undefined, series: undefined }],
    ["Iain Banks/Iain M. Banks/Consider Phlebas", { author: "Iain M. Banks", title: "Consider Phlebas", narrator: undefined, series: undefined }],
    ["Iain Banks/Iain M Banks/Consider Phlebas", { author: "Iain M Banks", title: "Consider Phlebas" }],
    ["Daniel Handler/Lemony Snicket/The Bad Beginning", { author: "Lemony Snicket", title: "The Bad Beginning", narrator: undefined }],
    ["Ruth Rendell/Barbara Vine/A Dark-Adapted Eye", { author: "Barbara Vine", title: "A Dark-Adapted Eye", narrator: undefined }],
    ["Romain Gary/Émile Ajar/La Vie devant soi", { author: "Émile Ajar", title: "La Vie devant soi", narrator: undefined }],
    ["Walter Moers/Hildegunst von Mythenmetz/Die Stadt der Träumenden Bücher", { author: "Hildegunst von Mythenmetz", narrator: undefined }],
    ["Fiction/Stephen King/Richard Bachman/Thinner", { author: "Richard Bachman", title: "Thinner", narrator: undefined }],
    // Numbered: the pen name is no series either.
    ["Stephen King/Richard Bachman/01 - Rage", { author: "Richard Bachman", title: "Rage", series: undefined }],
    ["J.K. Rowling/Robert Galbraith/Cormoran Strike 01 - The Cuckoo's Calling", { author: "Robert Galbraith", title: "The Cuckoo's Calling", series: "Cormoran Strike", series_num: "1" }],
    // Negative rows: an unknown pair, or another writer's pen name, keeps the reader's folder reading.
    ["Stephen King/Frank Muller/The Gunslinger", { author: "Stephen King", narrator: "Frank Muller", doubtful: ["narrator"] }],
    ["Stephen King/Robert Galbraith/The Cuckoo's Calling", { author: "Stephen King", narrator: "Robert Galbraith" }],
    ["Douglas Adams/Stephen Fry/The Hitchhiker's Guide", { author: "Douglas Adams", narrator: "Stephen Fry" }],
  ])("%s", check);
});

describe("Title (Person) with no writer named: a known reader is the reader", () => {
  it.each<Row>([
    ["Unknown/Black Ops (R.C. Bray)", { author: undefined, title: "Black Ops", narrator: "R.C. Bray" }],
    ["Black Ops (R.C. Bray)", { author: undefined, title: "Black Ops", narrator: "R.C. Bray" }],
    ["The Martian (R. C. Bray)", { author: undefined, title: "The Martian", narrator: "R. C. Bray" }],
    ["Project Hail Mary (Ray Porter)", { author: undefined, title: "Project Hail Mary", narrator: "Ray Porter" }],
    ["Fiction/The Passage (Scott Brick)", { author: undefined, title: "The Passage", narrator: "Scott Brick" }],
    ["Harry Potter und der Stein der Weisen (Rufus Beck)", { author: undefined, narrator: "Rufus Beck" }],
    // Negative rows: a writer, two co-writers, an unknown person, "by": the writer, as before.
    ["Watchers (Dean Koontz)", { author: "Dean Koontz", title: "Watchers", narrator: undefined }],
    ["Good Omens (Terry Pratchett & Neil Gaiman)", { author: "Terry Pratchett & Neil Gaiman", narrator: undefined }],
    ["Dark Matter (Jon Lindstrom)", { author: "Jon Lindstrom", narrator: undefined }],
    ["Nooit meer (by Scott Brick)", { author: "Scott Brick", narrator: undefined }],
    ["Stephen King/The Stand (Grover Gardner)", { author: "Stephen King", narrator: "Grover Gardner" }],
  ])("%s", check);
});

describe("a part with brackets of its own closing the name", () => {
  it.each<Row>([
    ["Marc-Uwe Kling - Die Känguru-Chroniken - Teil 1 (Live)", { author: "Marc-Uwe Kling", title: "Die Känguru-Chroniken (Teil 1) (Live)", series: undefined }],
    ["Marc-Uwe Kling - Die Känguru-Chroniken - Teil 1 (Live) (Ungekürzt)", { author: "Marc-Uwe Kling", title: "Die Känguru-Chroniken (Teil 1) (Live)", series: undefined }],
    ["Brandon Sanderson - The Way of Kings - Part 1 (Dramatized)", { author: "Brandon Sanderson", title: "The Way of Kings (Part 1)", series: undefined }],
    ["Frank Schätzing - Der Schwarm - Teil 1 von 3 (Hörspiel)", { author: "Frank Schätzing", title: "Der Schwarm (Teil 1 von 3)", series: undefined }],
    ["Stephen King - The Stand - Part 2 (Live) - Captain Trips", { author: "Stephen King", title: "The Stand (Part 2) (Live)", subtitle: "Captain Trips", series: undefined }],
    // Negative rows: no part word and number before the bracket, nothing changes.
    ["Marc-Uwe Kling - Die Känguru-Chroniken (Live)", { author: "Marc-Uwe Kling", title: "Die Känguru-Chroniken (Live)" }],
    ["Author Name - Series - Partners (Live)", { author: "Author Name", series: "Series", title: "Partners (Live)" }],
  ])("%s", check);
});

describe("Chinese and Japanese episode and volume markers are the volume, never the title", () => {
  it.each<Row>([
    ["刘慈欣/三体/三体 第01集", { author: "刘慈欣", title: "三体", series_num: "1" }],
    ["刘慈欣/三体/第01集", { author: "刘慈欣", title: "三体", series_num: "1" }],
    ["金庸/射雕英雄传 第001集", { author: "金庸", title: "射雕英雄传", series_num: "1" }],
    ["金庸/射雕英雄传 第十二集", { author: "金庸", title: "射雕英雄传", series_num: "12" }],
    ["刘慈欣/三体 第2集 黑暗森林", { author: "刘慈欣", series: "三体", series_num: "2", title: "黑暗森林" }],
    ["刘慈欣/三体/三体 第1卷", { author: "刘慈欣", title: "三体", series_num: "1" }],
    ["刘慈欣/三体 上册", { author: "刘慈欣", title: "三体", series_num: "1" }],
    ["刘慈欣/三体 下册", { author: "刘慈欣", title: "三体", series_num: "2" }],
    ["刘慈欣/三体（上）", { author: "刘慈欣", title: "三体", series_num: "1" }],
    ["村上春樹/1Q84 第1巻", { author: "村上春樹", title: "1Q84", series_num: "1" }],
    ["村上春樹/1Q84 上巻", { author: "村上春樹", title: "1Q84", series_num: "1" }],
    // Negative rows: a collection's word with no ordinal, and a title opening with 第, stay titles.
    ["金庸作品集/射雕英雄传", { author: "金庸", title: "射雕英雄传", series_num: undefined }],
    ["鲁迅文集", { title: "鲁迅文集", series_num: undefined }],
    ["東野圭吾/第三の時効", { author: "東野圭吾", title: "第三の時効", series_num: undefined }],
  ])("%s", check);
});
