/**
 * path-31: a release word as the only title after a writer, a radio play's padded episode, a publisher's label in
 * brackets, the title before its writer and series, a format's stray dot, a leading ellipsis and a life's subject as a
 * folder. Each table holds negative rows that only look like the rule.
 */
import { describe, it } from "vitest";
import { check, type Row } from "./path-rows.js";

describe("a release word after a writer alone is the title", () => {
  it.each<Row>([
    ["Stephen King - Mono", { author: "Stephen King", title: "Mono" }],
    ["Brandon Sanderson - Stereo", { author: "Brandon Sanderson", title: "Stereo" }],
    ["Stephen King - Retail", { author: "Stephen King", title: "Retail" }],
    // Negative rows: after a title, or a writer and a title, the word is the release's tag.
    ["The Martian - Mono", { author: undefined, title: "The Martian" }],
    ["Andy Weir - Project Hail Mary - Retail", { author: "Andy Weir", title: "Project Hail Mary" }],
  ])("%s", check);
});

describe("a number padded to three places between two pieces is a series' episode", () => {
  it.each<Row>([
    ["Benjamin Blümchen - 001 - Als Wetterelefant", { author: undefined, series: "Benjamin Blümchen", series_num: "1", title: "Als Wetterelefant" }],
    ["Bibi Blocksberg - 042 - Der Hexenbesen", { author: undefined, series: "Bibi Blocksberg", series_num: "42", title: "Der Hexenbesen" }],
    ["Hörspiele/Benjamin Blümchen - 007 - Der Zoo", { series: "Benjamin Blümchen", series_num: "7", title: "Der Zoo" }],
    // Negative rows: a writer's books numbered with two places keep the writer; a padded number closing the name is no episode.
    ["Lee Child - 01 - Killing Floor", { author: "Lee Child", title: "Killing Floor", series_num: "1" }],
    ["Lee Child - Killing Floor - 001", { author: "Lee Child" }],
  ])("%s", check);
});

describe("a publisher's label in brackets names no reader", () => {
  it.each<Row>([
    ["Mistborn (Michael Kramer) [2006] [Tor Audio]", { title: "Mistborn", year: "2006", narrator: "Michael Kramer" }],
    ["The Martian (Bahni Turpin) [2014] [Podium Publishing]", { title: "The Martian", year: "2014", narrator: "Bahni Turpin" }],
    ["The Martian [Orion Audiobooks]", { title: "The Martian", narrator: undefined }],
    // Negative rows: a person in brackets still reads the book.
    ["The Martian [Ray Porter]", { title: "The Martian", narrator: "Ray Porter" }],
    ["The Stand [Stephen King] [Grover Gardner]", { author: "Stephen King", narrator: "Grover Gardner" }],
  ])("%s", check);
});

describe("the title, its writer, then the series closing the name", () => {
  it.each<Row>([
    ["The Final Empire - Brandon Sanderson - Mistborn 1", { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn", series_num: "1" }],
    ["The Way of Kings - Brandon Sanderson - Stormlight Archive 1", { author: "Brandon Sanderson", title: "The Way of Kings", series: "Stormlight Archive", series_num: "1" }],
    ["Leviathan Wakes - James S. A. Corey - The Expanse 1", { author: "James S. A. Corey", title: "Leviathan Wakes", series: "The Expanse", series_num: "1" }],
    ["Brandon Sanderson/The Final Empire - Brandon Sanderson - Mistborn 1", { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn", series_num: "1" }],
    // Negative row: the writer first still reads as before.
    ["Brandon Sanderson - The Final Empire - Mistborn 1", { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn", series_num: "1" }],
  ])("%s", check);
});

describe("a format's stray dot and a leading ellipsis", () => {
  it.each<Row>([
    ["The Stand.mp3.", { title: "The Stand" }],
    ["Stephen King - The Stand.m4b..", { author: "Stephen King", title: "The Stand" }],
    ["...And Justice for All", { title: "...And Justice for All" }],
    ["Metallica - ...And Justice for All", { title: "...And Justice for All" }],
    // Negative rows: dots or a dash set before a space are no ellipsis of the title.
    [". The Stand", { title: "The Stand" }],
    ["- The Stand", { title: "The Stand" }],
  ])("%s", check);
});

describe("a life's subject as a folder of one word reads as the dashed form", () => {
  it.each<Row>([
    ["Einstein/His Life and Universe", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    ["Walter Isaacson/Einstein/His Life and Universe", { author: "Walter Isaacson", title: "Einstein", subtitle: "His Life and Universe", series: undefined }],
    ["Mozart/Sein Leben", { author: undefined, title: "Mozart", subtitle: "Sein Leben" }],
    // Negative rows: other titles under a one-word folder keep it the writer's.
    ["Tolkien/The Hobbit", { author: "Tolkien", title: "The Hobbit" }],
    ["Einstein/Relativity", { author: "Einstein", title: "Relativity" }],
  ])("%s", check);
});
